"""The staff command line (`portal`) and the local stack."""
