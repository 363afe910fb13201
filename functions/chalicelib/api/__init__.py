"""HTTP glue for the Chalice routes: body parsing, error mapping, CORS. No domain rules."""
