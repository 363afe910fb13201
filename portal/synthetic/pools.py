"""Word pools for the synthetic district: names of four communities, places, schools, topics."""

from __future__ import annotations

# Kept as packed literals (fmt: skip) so the pools read as lists of words, not 500 lines.

# Given names per community and sex. They keep the spellings families use on forms: accents,
# apostrophes, hyphens and inner spaces, because claim must match them exactly.
GIVEN: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "female": (
            "Olivia", "Emma", "Ava", "Sophia", "Madison", "Aaliyah", "Chloe", "Zoë", "Brianna",
            "Ja'Niyah", "Destiny", "Kayla", "Imani", "Mary Ann", "Mary-Kate", "Harper", "Nevaeh",
            "Amari", "Taylor", "Jasmine", "Keisha", "LaToya", "Renée", "Grace", "Abigail",
            "Riley", "Makayla", "Shay'la", "Caroline", "Elizabeth", "Precious", "Janelle"),
        "male": (
            "Liam", "Noah", "James", "Jackson", "Aiden", "Elijah", "Jaylen", "D'Andre", "De'Shawn",
            "Malik", "Jamal", "Josiah", "Caleb", "Christopher", "Michael", "William", "Isaiah",
            "Ja'Kari", "Kendrick", "Marcus", "Tyrone", "Cameron", "Logan", "Carter", "Kevin",
            "Jordan", "Bryce", "Dante", "John Paul", "Billy-Ray", "Zaire", "Terrell"),
    },
    "es": {
        "female": (
            "María", "Sofía", "Valentina", "Camila", "Ximena", "Lucía", "Guadalupe", "Daniela",
            "María José", "Ana Lucía", "Isabella", "Renata", "Mía", "Fernanda", "Natalia",
            "Ángela", "Yesenia", "Rocío", "Araceli", "Itzel", "Dulce María", "Belén", "Paola"),
        "male": (
            "José", "Juan Carlos", "Mateo", "Santiago", "Sebastián", "Diego", "Ángel", "Jesús",
            "Andrés", "Martín", "Nicolás", "Emiliano", "Luis Fernando", "Joaquín", "Iñaki",
            "Rafael", "Alejandro", "José Luis", "Héctor", "Óscar", "Tomás", "Julián", "Adrián"),
    },
    "vi": {
        "female": (
            "Anh", "Linh", "Phương", "Thảo", "Ngọc", "Quỳnh", "Hương", "Trang", "Mai", "Lan",
            "Thanh Hương", "Bảo Anh", "Khánh Linh", "Diễm", "Hằng", "Yến", "Nhung", "Thủy"),
        "male": (
            "Minh", "Bảo", "Huy", "Khánh", "Tuấn", "Đức", "Quang", "Hùng", "Long", "Phúc",
            "Gia Huy", "Minh Khôi", "Nam", "Thắng", "Dũng", "Vinh", "Hiếu", "Trọng"),
    },
    "fr": {
        "female": (
            "Chloé", "Élodie", "Zoé", "Léa", "Hélène", "Anaïs", "Maëlys", "Amélie", "Océane",
            "Thérèse", "Marie-Claire", "Marie-Ève", "Geneviève", "Nadège", "Mireille", "Noëlle",
            "Fabienne", "Ketsia", "Judith", "Rose-Merline", "Cécile", "Béatrice"),
        "male": (
            "Jean-Baptiste", "François", "Gaël", "Noël", "Jérôme", "Benoît", "Étienne", "Loïc",
            "Jean-Pierre", "Pierre-Louis", "Mathéo", "Frantz", "Wisly", "Stéphane", "Raphaël",
            "Théo", "Joël", "Émile", "Jean-Claude", "Rodrigue", "Aurélien", "Fritz"),
    },
}  # fmt: skip

FAMILY: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Davis", "Jackson", "Harris",
        "Robinson", "Washington", "Thomas", "Walker", "Clayton", "O'Brien", "O'Neal", "D'Arcy",
        "McDonald", "McGee", "Van Dyke", "St. John", "Campbell", "Mitchell", "Freeman", "Greene",
        "Bell", "Hill", "Scott", "Moore", "Turner", "Coleman", "MacKenzie", "O'Malley"),
    "es": (
        "García", "Hernández", "Martínez", "Rodríguez", "López", "González", "Pérez", "Sánchez",
        "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Núñez", "Peña", "Ibáñez",
        "Muñoz", "Ortiz", "Castillo", "Jiménez", "Vásquez", "de la Cruz", "del Río", "De León",
        "Fernández", "Ruiz", "Álvarez", "Méndez", "Chávez", "Domínguez", "Cortés"),
    "vi": (
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
        "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh"),
    "fr": (
        "Dubois", "Lefèvre", "Léveillé", "Beaulieu", "St-Pierre", "Côté", "Gagné", "Bélanger",
        "Lévesque", "Duchêne", "de la Fontaine", "Saint-Fleur", "Jean-Louis", "Désir", "Joseph",
        "Pierre-Louis", "Théodore", "Rémy", "Le Gall", "D'Aubigné", "Baptiste", "Noël"),
}  # fmt: skip
# Vietnamese middle names carry sex for adults (Văn, Thị); children get a given-style middle.
VI_ADULT_MIDDLE = {"female": ("Thị", "Ngọc", "Thu"), "male": ("Văn", "Đức", "Hữu")}
VI_CHILD_MIDDLE = ("Gia", "Minh", "Ngọc", "Bảo", "Thanh", "Hoàng")

# Clayton County-style school names; each name may serve one school per level.
SCHOOL_NAMES: tuple[str, ...] = (
    "Babb", "McGarrah", "Anderson", "Arnold", "Brown", "Callaway", "Church Street",
    "Eddie White", "Edmonds", "Forest Park", "Haynie", "Hawthorne", "Harper", "Hendrix Drive",
    "Huie", "Kemp", "Kilpatrick", "Lake City", "Lake Ridge", "Lee Street", "Marshall",
    "Morrow", "Mount Zion", "Mundy's Mill", "Northcutt", "Oliver", "Pointe South", "Riverdale",
    "River's Edge", "Roberts", "Rock Creek", "Sequoyah", "Suder", "Swint", "Tara", "Unidos",
    "West Clayton", "Jonesboro", "Lovejoy", "Adamson", "Kendrick", "Fountain", "Hartsfield",
    "Ellenwood", "Charles Drew", "Martin Luther King Jr.", "Rex Mill", "Smith", "Pate's Creek",
    "Thurgood Marshall", "Spivey", "Noah's Ark", "Jodeco", "Panhandle", "Tanger", "Flint River",
)  # fmt: skip
LEVEL_SUFFIX = {"E": "Elementary School", "M": "Middle School", "H": "High School"}

CITIES: tuple[tuple[str, str], ...] = (
    ("Forest Park", "30297"), ("Jonesboro", "30236"), ("Jonesboro", "30238"),
    ("Riverdale", "30274"), ("Riverdale", "30296"), ("Morrow", "30260"), ("Rex", "30273"),
    ("Ellenwood", "30294"), ("Lovejoy", "30250"), ("Hampton", "30228"),
    ("College Park", "30349"), ("Conley", "30288"),
)  # fmt: skip
STREETS: tuple[str, ...] = (
    "Reynolds", "Tara", "Old Dixie", "Flint River", "Mount Zion", "Jonesboro", "Upper Riverdale",
    "Battle Creek", "Lake Jodeco", "Fielder", "Panhandle", "Walt Stephens", "Lovejoy",
    "Mundy's Mill", "Pointe South", "Southlake", "Ash", "Magnolia", "Dogwood", "Pecan",
    "Peachtree", "Spring Hill", "Frontage", "North Main", "Tanager", "Chestnut", "Hickory",
)  # fmt: skip
STREET_SUFFIXES: tuple[str, ...] = ("Road", "Street", "Drive", "Lane", "Court", "Way",
                                    "Parkway", "Circle", "Trail")  # fmt: skip
# Only the 555-0100..0199 block is reserved for fiction, so no real household gets a call.
AREA_CODES: tuple[str, ...] = ("770", "678", "404", "470")
# Reserved domains (RFC 2606): a misdirected notice can never reach a real family.
EMAIL_DOMAINS: tuple[str, ...] = ("example.org", "example.com", "example.net")
STAFF_EMAIL_DOMAIN = "ccps.example.org"

# Country of birth (ISO 3166 alpha-2), US state and city, per community.
BIRTHPLACES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "en": (("US", "GA", "Atlanta"), ("US", "GA", "Jonesboro"), ("US", "GA", "Riverdale"),
           ("US", "AL", "Birmingham"), ("US", "FL", "Jacksonville"), ("JM", "", "Kingston")),
    "es": (("US", "GA", "Atlanta"), ("US", "GA", "Forest Park"), ("MX", "", "Puebla"),
           ("SV", "", "San Salvador"), ("GT", "", "Quetzaltenango"), ("HN", "", "Tegucigalpa")),
    "vi": (("US", "GA", "Morrow"), ("US", "GA", "Atlanta"), ("VN", "", "Thành phố Hồ Chí Minh"),
           ("VN", "", "Đà Nẵng"), ("US", "TX", "Houston")),
    "fr": (("US", "GA", "Atlanta"), ("HT", "", "Port-au-Prince"), ("HT", "", "Cap-Haïtien"),
           ("FR", "", "Lyon"), ("CA", "", "Montréal"), ("CI", "", "Abidjan")),
}  # fmt: skip

# Subject topics for assignment titles.
TOPICS: dict[str, tuple[str, ...]] = {
    "Language Arts": ("Main Idea", "Narrative Writing", "Vocabulary", "Figurative Language",
                      "Persuasive Essay", "Poetry", "Commas", "Book Report"),
    "Mathematics": ("Fractions", "Ratios", "Place Value", "Equations", "Geometry",
                    "Word Problems", "Decimals", "Graphing"),
    "Science": ("Ecosystems", "Matter", "Weather", "Forces and Motion", "Cells",
                "Density Lab", "The Water Cycle", "Energy"),
    "Social Studies": ("Georgia Regions", "Map Skills", "Civil Rights Movement",
                       "Early Explorers", "Government", "Economics", "Ancient Rome"),
}  # fmt: skip
GENERIC_TOPICS: tuple[str, ...] = ("Unit 1", "Unit 2", "Unit 3", "Unit 4", "Portfolio",
                                   "Skills Check", "Performance")  # fmt: skip
COMMENTS: tuple[str, ...] = (
    "Great improvement!", "Please see me about corrections.", "Excellent work, keep it up.",
    "Missing name on paper.", "Redo allowed until Friday.", "Show your work next time.",
    "Très bien !", "Good effort; review the notes from class.",
)  # fmt: skip
LATE_COMMENT = "Turned in late."
