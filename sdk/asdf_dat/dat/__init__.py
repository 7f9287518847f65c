"""High-level API over the asdf_dat program, on top of the generated client (`asdf_dat.generated`):

* `pdas`: program-derived addresses (state, authority, token stats, root treasury, ...);
* `accounts`: read the DAT state, one token's stats, all stats (one `getMultipleAccounts`);
* `instructions`: a builder per instruction (SPL Token or Token-2022 passed through);
* `client`: `DatClient(transport, payer)`: build → simulate → send + confirm, cycle helpers;
* `errors`: program errors as named exceptions (`CycleTooSoon`, `DATNotActive`, ...);
* `events`: the program's events decoded from `Program data:` logs;
* `math`: the program's arithmetic (fee rates, exact-in quotes, split, allocation; math.rs);
* `cycle`: the cycle sequence token by token (cycle.rs), used by the client and the orchestrator.
"""
