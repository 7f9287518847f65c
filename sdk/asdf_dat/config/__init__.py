"""The operator's working-directory files, shared by the fee daemon and the orchestrator:
token configuration files (`tokens`: one file, `ecosystem`: a directory with one root) and the
single-instance lock (`lock`). Neither application imports the other; both import this."""
