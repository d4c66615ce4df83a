"""One module per `humane` subcommand: `register(subparsers)` adds its parser and sets `func`.

Keep module-level imports light (argparse, stdlib): every command's module is imported for
`humane --help`. Import the core (httpx, keyring, textstat, textual) inside the handlers.
"""
