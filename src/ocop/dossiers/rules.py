"""Permission predicates of the dossiers app (filled in with the models)."""
