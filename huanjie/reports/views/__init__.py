"""Pages of the reports, one module per part: the statistics and their checks, the
previous term, the exports, and the progress reports."""
