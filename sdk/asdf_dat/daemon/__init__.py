"""The fee daemon: detects creator fees in the shared vaults, attributes them to tokens exactly
once (SQLite ledger), reports them on-chain (`update_pending_fees`, watermarked), and serves the
seed's HTTP API. Entry point: `asdf_dat.daemon.entry.main`."""
