from .initialize import initialize, InitializeArgs, InitializeAccounts
