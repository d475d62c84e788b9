"""Read queries of the reports, one module per page: dashboard (and links, where each figure
drills down to), deadlines, scorecards, search; import from the submodule."""
