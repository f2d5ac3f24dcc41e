"""One module per page: each lays out what the library computed. Views never import each other."""
