/* The staff roles, least to most; each role may do what the roles before it do. */
export const ROLES = ["teacher", "technician", "school_admin", "district_admin"];
