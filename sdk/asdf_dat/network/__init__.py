"""Network configuration, wallets and transports (JSON-RPC or in-process LiteSVM)."""
