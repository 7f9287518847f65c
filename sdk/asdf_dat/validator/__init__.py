"""The ecosystem on a real `solana-test-validator` (Agave): binary lookup, genesis accounts,
the validator process, and the DAT set up through RPC (`asdf-dat localnet --validator`)."""
