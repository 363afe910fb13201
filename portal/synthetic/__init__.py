"""`portal sis generate`: a synthetic district written in the importer's OneRoster format."""
