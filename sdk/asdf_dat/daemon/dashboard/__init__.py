"""The burn dashboard: a read-only page served by the fee daemon on its API port (`GET /`).

`service.Dashboard` keeps the data current (chain snapshot, cycle history in the ledger),
`routes.dashboard_routes` serves the page and its typed JSON (`models`), `view` turns the
daemon's data into those models, `history` reads cycle events from the chain.
"""
