"""The liaison app's forms, one module per area (offices: offices, officers, contact log and
handovers; ledger: feedback and the rectification ledger); import from the submodule."""
