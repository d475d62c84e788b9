"""Read queries of the talent pool, one module per area (pools, secondments, recusals,
fairness); import from the submodule."""
