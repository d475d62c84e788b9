"""The talent pool's forms, one module per area (pools, secondments, recusals, cross_staffing),
named like the views that use them; import from the submodule."""
