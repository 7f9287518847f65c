from solders.pubkey import Pubkey

PROGRAM_ID = Pubkey.from_string("Da57QBZtk8eMgSe85Ky85px8G5Xxh3iSb2NJx2vn9dC4")
