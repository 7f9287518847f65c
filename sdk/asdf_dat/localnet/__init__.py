"""A local cluster: LiteSVM with history (`ledger`) served over Solana JSON-RPC (`rpc_server`)."""
