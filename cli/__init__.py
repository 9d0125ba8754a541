"""The `./courtbot` command line: set-up, training, database, running the stack."""
