"""Statistics of the cycle (DOMAIN §11), their consistency checks, the exports and
the progress reports."""
