"""`portal sis import`: a OneRoster 1.1 export validated completely, then applied."""
