"""Other programs' exports, built to their published layouts (the source of each layout is
named above it). ``write(tmp_path, name)`` puts one in a file, as the program would name it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

# Chrome/Edge/Brave: "Export passwords" writes `name,url,username,password,note` (the layout
# Bitwarden's chrome-csv-importer.ts reads: value.name/url/username/password/note; an Android
# app's row has an android://KEY@PACKAGE/ URL and may have no name).
CHROME = (
    "name,url,username,password,note\r\n"
    'github.com,https://github.com/login,octo,"gh,pass""word","line one\nline two"\r\n'
    ",android://Zm9vYmFy@com.example.app/,appuser,app-pass,\r\n"
)

# Firefox about:logins → Export: every cell quoted, times in ms (mozilla-central's
# test_csv_import tests and LoginExport.sys.mjs write this header).
FIREFOX = (
    '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed",'
    '"timePasswordChanged"\n'
    '"https://www.example.com","joe@example.com","qwerty2",,"https://www.example.com",'
    '"{5ec0d12f-e194-4279-ae1b-d7d281bb46f0}","1589617814635","1589710449871","1589617846802"\n'
    '"https://intranet.example","bob","realm pw","My realm",,"{b7e2a0c4-0f7c-4e43-9d7f-2a3b4c5d6e7f}",'
    '"1589617814000","","1589617814000"\n'
)

# Safari / Apple Passwords → File → Export: `Title,URL,Username,Password,Notes,OTPAuth`.
SAFARI = (
    "Title,URL,Username,Password,Notes,OTPAuth\n"
    "appleid.apple.com (krish@icloud.com),https://appleid.apple.com,krish@icloud.com,AppleSecretPass!,,"
    "otpauth://totp/Apple:krish@icloud.com?secret=JBSWY3DPEHPK3PXP&issuer=Apple\n"
    "Broken code,https://broken.example,u,p,kept,otpauth://totp/x?secret=not*base32\n"
)

# LastPass → Advanced → Export: `url,username,password,totp,extra,name,grouping,fav`; a secure
# note has url http://sn and a `NoteType:` first line with `Name:value` lines, Notes last
# (Bitwarden's lastpass-csv-importer.ts, parseSecureNoteDataToObject).
LASTPASS = (
    "url,username,password,totp,extra,name,grouping,fav\n"
    "https://github.com,ada,hunter2,JBSWY3DPEHPK3PXP,a login note,GitHub,Work\\Dev,1\n"
    'http://sn,,,,"NoteType:Credit Card\nLanguage:en-US\nName on Card:Ada Lovelace\nType:Visa\n'
    "Number:4111111111111111\nSecurity Code:123\nStart Date:,\nExpiration Date:January,2030\n"
    'Notes:first line\nsecond: line",My Visa,Finance,0\n'
    'http://sn,,,,"Wi-Fi code is 1234",Plain note,,0\n'
)

# 1Password 8 → Export → CSV: `Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`.
ONEPASSWORD8 = (
    "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n"
    'Forgejo,https://git.example.ch,clara,s3cr3t,otpauth://totp/x?secret=JBSWY3DPEHPK3PXP,true,false,"work,dev",'
    '"migration note"\n'
    "Old router,http://192.168.1.1,admin,old-pw,,false,true,,\n"
)

# 1Password 7 for Mac → Export → CSV (all fields): `label(key)` columns plus Title, Type, Notes,
# Password, URL, Username, Tags ({( a, b )}), Created Date/Modified Date (Unix seconds) and
# "First One-time Password" (the 143-column header; Bitwarden's onepassword-mac-csv-importer
# reads "number", "verification number", "cardholder name", "expiry date" from it).
ONEPASSWORD7_MAC = (
    '"cardholder name(cardholder)","Created Date","expiry date(expiry)","First One-time Password",'
    '"Modified Date","Notes","number(ccnum)","Password","Tags","Title","Type","URL","Username",'
    '"verification number(cvv)"\n'
    '"Ada L","1577836800","01/2030","","1609459200","card note","4111111111111111","",'
    '"{(\n    finance\n)}","Visa","Credit Card","","","123"\n'
    '"","1577836800","","otpauth://totp/GitHub?secret=JBSWY3DPEHPK3PXP","1609459200","","","gh-pw","",'
    '"GitHub","Login","https://github.com","octo",""\n'
)

# 1Password 7 for Windows → Export → CSV: ainfo, autosubmit, custom, email, master-password,
# notesPlain, password, scope, secret key, section:ID, tags, title, urls, username, uuid (the
# header the Bitwarden web vault's importer recognises; onepassword-win-csv-importer.ts).
ONEPASSWORD7_WIN = (
    "ainfo,autosubmit,custom,email,master-password,notesPlain,password,scope,secret key,"
    "section:r7xrdwk6iz6totkcjlrvnmo524,tags,title,urls,username,uuid\n"
    'octo,,,octo@example.com,,win note,win-pw,,A3-XYZ,,dev,GitHub,"https://github.com\nhttps://gist.github.com",'
    "octo,tkc3wo4kjnafwc6m5w7xlhpvi4\n"
)

# Dashlane → Export → CSV: a zip of credentials.csv, securenotes.csv, payments.csv, ids.csv,
# personalInfo.csv (Bitwarden's dashlane-csv-types.ts and spec-data/dashlane-csv).
DASHLANE_CREDENTIALS = (
    "username,username2,username3,title,password,note,url,category,otpUrl\n"
    "ada@example.com,ada2,,GitHub,gh-pw,a note,https://github.com,Dev,"
    "otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP\n"
)
DASHLANE_PAYMENTS = (
    "type,account_name,cc_number,code,expiration_month,expiration_year,country,name\n"
    "payment_card,Work Visa,41111111111111111,123,1,2030,US,Jane M Doe\n"
)
DASHLANE_IDS = (
    "type,number,name,issue_date,expiration_date,place_of_issue,state\n"
    "passport,123456789,Jane Doe,2020-1-5,2030-1-4,US,\n"
)
DASHLANE_NOTES = "title,note\nDoor code,Front door 4321\n"

# Proton Pass → Export → JSON (unencrypted): Bitwarden's spec-data/protonpass-json/protonpass.json.ts.
PROTONPASS: dict[str, Any] = {
    "version": "1.21.2",
    "userId": "REDACTED_USER_ID",
    "encrypted": False,
    "vaults": {
        "VAULT_A": {
            "name": "Personal",
            "description": "Personal vault",
            "display": {"color": 0, "icon": 0},
            "items": [
                {
                    "itemId": "yZENmDjtmZGODNy3Q_CZiPAF_IgINq8w==",
                    "shareId": "SN5uWo4WZF2uT5wIDqtbdpkjuxCbNTOIdf==",
                    "data": {
                        "metadata": {
                            "name": "Test Login",
                            "note": "My login secure note.",
                            "itemUuid": "e8ee1a0c",
                        },
                        "extraFields": [
                            {"fieldName": "non-hidden field", "type": "text", "data": {"content": "visible"}},
                            {
                                "fieldName": "hidden field",
                                "type": "hidden",
                                "data": {"content": "hidden value"},
                            },
                            {
                                "fieldName": "second 2fa secret",
                                "type": "totp",
                                "data": {"totpUri": "GEZDGNBVGY3TQOJQ"},
                            },
                        ],
                        "type": "login",
                        "content": {
                            "itemEmail": "Email",
                            "password": "Password",
                            "urls": ["https://example.com/", "https://example2.com/"],
                            "totpUri": "otpauth://totp/Test:Username?secret=JBSWY3DPEHPK3PXP&issuer=Test",
                            "passkeys": [],
                            "itemUsername": "Username",
                        },
                    },
                    "state": 1,
                    "aliasEmail": None,
                    "contentFormatVersion": 1,
                    "createTime": 1689182868,
                    "modifyTime": 1689182900,
                    "pinned": True,
                },
                {
                    "itemId": "ZmGzd-HNQYTr6wmfWlSfiStXQLqGic==",
                    "shareId": "SN5uWo4WZF2uT5wIDqtbdpkjuxCbNTOIdf==",
                    "data": {
                        "metadata": {"name": "Test Card", "note": "Credit Card Note", "itemUuid": "d8f45370"},
                        "extraFields": [],
                        "type": "creditCard",
                        "content": {
                            "cardholderName": "Test name",
                            "cardType": 0,
                            "number": "1234222233334444",
                            "verificationNumber": "333",
                            "expirationDate": "2025-01",
                            "pin": "1234",
                        },
                    },
                    "state": 1,
                    "aliasEmail": None,
                    "contentFormatVersion": 1,
                    "createTime": 1691001643,
                    "modifyTime": 1691001643,
                    "pinned": False,
                },
                {
                    "itemId": "xqq_Bh8RxNMBerkiMvRdH427yswZznjYwps==",
                    "shareId": "SN5uWo4WZF2uT5wIDqtbdpkjuxCbNTOIdf==",
                    "data": {
                        "metadata": {
                            "name": "My Deleted Note",
                            "note": "Secure note contents.",
                            "itemUuid": "ad61",
                        },
                        "extraFields": [],
                        "type": "note",
                        "content": {},
                    },
                    "state": 2,
                    "aliasEmail": None,
                    "contentFormatVersion": 1,
                    "createTime": 1689182908,
                    "modifyTime": 1689182999,
                    "pinned": False,
                },
            ],
        },
        "VAULT_B": {
            "name": "Test",
            "description": "",
            "display": {"color": 4, "icon": 2},
            "items": [
                {
                    "itemId": "U_J8-eUR15sC-PjUhjVcixDcayhjGuoerUZCr560RlAi0==",
                    "shareId": "OJz-4MnPqAuYnyemhctcGDlSLJrzsTnf2FnFSwxh1QP==",
                    "data": {
                        "metadata": {"name": "Other vault login", "note": "", "itemUuid": "f3429d44"},
                        "extraFields": [],
                        "type": "login",
                        "content": {
                            "itemEmail": "other vault username",
                            "password": "other vault password",
                            "urls": [],
                            "totpUri": "JBSWY3DPEHPK3PXP",
                            "passkeys": [],
                            "itemUsername": "",
                        },
                    },
                    "state": 1,
                    "aliasEmail": None,
                    "contentFormatVersion": 1,
                    "createTime": 1689182949,
                    "modifyTime": 1689182949,
                    "pinned": False,
                },
            ],
        },
    },
}

# Proton Pass → Export → CSV: `type,name,url,email,username,password,note,totp,createTime,
# modifyTime,vault` (times as Unix seconds).
PROTONPASS_CSV = (
    "type,name,url,email,username,password,note,totp,createTime,modifyTime,vault\n"
    "login,Proton Mail,https://account.proton.me,me@proton.me,,pm-pass,a note,JBSWY3DPEHPK3PXP,1689182868,"
    "1689182900,Personal\n"
    "note,Door,,,,,code 4321,,1689182868,1689182868,Home\n"
)

# NordPass → Export → CSV: 24 columns, `type` says which kind a row is, `folder` rows stand for
# folders (the header Bitwarden's nordpass-csv-importer.ts reads, with pin and shared_folder).
NORDPASS = (
    "name,url,additional_urls,username,password,note,cardholdername,cardnumber,cvc,pin,expirydate,zipcode,"
    "folder,shared_folder,full_name,phone_number,email,address1,address2,city,country,state,type,custom_fields\n"
    "Work,,,,,,,,,,,,,,,,,,,,,,folder,\n"
    'GitHub,https://github.com,"[""https://gist.github.com""]",octo,gh-pw,a note,,,,,,,Work,,,,,,,,,,password,'
    '"[{""label"":""API token"",""type"":""hidden"",""value"":""ghp_123""},'
    '{""label"":""team"",""type"":""text"",""value"":""core""}]"\n'
    "My Visa,,,,,,Carol C,4111111111114242,123,9876,08/29,SW1A,Finance,,,,,,,,,,credit_card,\n"
    "Recovery codes,,,,,abcd-efgh ijkl-mnop,,,,,,,,,,,,,,,,,note,\n"
)

# Keeper → Export → JSON: the layout Keeper documents for JSON import (keeper-json-types.ts in
# Bitwarden's importer; records from its keeper.json sample).
KEEPER: dict[str, Any] = {
    "shared_folders": [{"path": "Team Shared", "uid": "6qDHxtPzarYTUT2qUeAbEw", "manage_users": False}],
    "records": [
        {
            "title": "General Information Record",
            "uid": "sQvo45TcWZeJdaHWBZ7Kvg",
            "login": "general_user@example.com",
            "password": "GeneralPass#2024!Secure",
            "login_url": "https://general.example.com",
            "notes": "General purpose record",
            "$type": "login",
            "last_modified": 1762428779,
            "custom_fields": {
                "$oneTimeCode": "otpauth://totp/totp%40authenticationtest.com?secret=I65VU7K5ZQL7WB4E&issuer="
                "&algorithm=SHA1&digits=6&period=30",
                "Security question": "first pet",
            },
            "folders": [{"folder": "Personal\\Finance\\Banking"}, {"shared_folder": "Team Shared"}],
        },
        {
            "title": "Chase Visa",
            "uid": "lC3AmTzFJujKhAeASV5cZQ",
            "notes": "Primary credit card",
            "$type": "bankCard",
            "last_modified": 1762428779,
            "custom_fields": {
                "$paymentCard": {
                    "cardNumber": "4532123456789010",
                    "cardExpirationDate": "06/2030",
                    "cardSecurityCode": "347",
                },
                "$text:cardholderName": "Sarah Johnson",
                "$pinCode": "8426",
            },
            "folders": [{"folder": "Work\\Projects"}],
        },
        {
            "title": "Production Server SSH Key",
            "uid": "E1124I_NzDheHSckN3cEQA",
            "login": "deploy_user",
            "notes": "SSH key",
            "$type": "sshKeys",
            "last_modified": 1762775800,
            "custom_fields": {
                "$keyPair": {
                    "publicKey": "ssh-ed25519 AAAA deploy",
                    "privateKey": "-----BEGIN KEY-----\nabc\n",
                },
                "$host": {"hostName": "prod-server.company.com", "port": "22"},
            },
        },
        {
            "title": "US Passport",
            "uid": "zkMYLQF8y9UrT40stDWz8w",
            "$type": "passport",
            "last_modified": 1762428779,
            "custom_fields": {"$accountNumber:passportNumber": "543826194", "$expirationDate": 2005596000000},
        },
    ],
}


def onepux(attachment: bytes = b"%PDF-1.4 scanned passport") -> bytes:
    """A 1PUX zip: export.attributes, export.data and files/DOCUMENTID__NAME, the layout of
    support.1password.com/1pux-format and Bitwarden's onepassword-1pux-importer-types.ts."""
    items: list[dict[str, Any]] = [
        {
            "uuid": "fkruyzrldvizuqlnavfj3gltfe",
            "favIndex": 1,
            "createdAt": 1619465969,
            "updatedAt": 1619466052,
            "state": "active",
            "categoryUuid": "001",
            "details": {
                "loginFields": [
                    {
                        "value": "username123123",
                        "id": "",
                        "name": "email",
                        "fieldType": "E",
                        "designation": "username",
                    },
                    {
                        "value": "password!",
                        "id": "",
                        "name": "password",
                        "fieldType": "P",
                        "designation": "password",
                    },
                    {"value": "", "id": "terms", "name": "terms", "fieldType": "C"},
                    {"value": "remember-me", "id": "remember", "name": "remember", "fieldType": "T"},
                ],
                "notesPlain": "My notes",
                "sections": [
                    {
                        "title": "",
                        "name": "add more",
                        "fields": [
                            {
                                "title": "one-time password",
                                "id": "TOTP_x",
                                "value": {"totp": "otpauth://totp/Fake:ada?secret=JBSWY3DPEHPK3PXP"},
                                "guarded": False,
                                "multiline": False,
                                "dontGenerate": False,
                                "inputTraits": {
                                    "keyboard": "default",
                                    "correction": "default",
                                    "capitalization": "default",
                                },
                            },
                            {"title": "second code", "id": "TOTP_y", "value": {"totp": "GEZDGNBVGY3TQOJQ"}},
                            {"title": "recovery codes", "id": "rc", "value": {"concealed": "1111 2222 3333"}},
                            {
                                "title": "signup email",
                                "id": "em",
                                "value": {"email": {"email_address": "ada@example.com", "provider": None}},
                            },
                            {
                                "title": "scan",
                                "id": "f1",
                                "value": {
                                    "file": {"fileName": "note.txt", "documentId": "doc2", "decryptedSize": 5}
                                },
                            },
                        ],
                    },
                ],
                "passwordHistory": [
                    {"value": "older-pw", "time": 1619465000},
                    {"value": "oldest", "time": 1619400000},
                ],
            },
            "overview": {
                "subtitle": "username123123",
                "urls": [
                    {"label": "website", "url": "https://www.fakesite.com"},
                    {"label": "", "url": "https://login.fakesite.com"},
                ],
                "title": "Fake Site",
                "url": "https://www.fakesite.com",
                "ps": 100,
                "pbe": 86.1,
                "pgrng": True,
                "tags": ["Tag1", "Tag2"],
            },
        },
        {
            "uuid": "vpxi2esuujz7nrbojp34rd5aja",
            "favIndex": 0,
            "createdAt": 1619465000,
            "updatedAt": 1619465100,
            "state": "active",
            "categoryUuid": "002",
            "details": {
                "loginFields": [],
                "notesPlain": "",
                "sections": [
                    {
                        "title": "",
                        "name": "",
                        "fields": [
                            {"title": "cardholder name", "id": "cardholder", "value": {"string": "Ada L"}},
                            {
                                "title": "number",
                                "id": "ccnum",
                                "value": {"creditCardNumber": "4111111111111111"},
                            },
                            {"title": "verification number", "id": "cvv", "value": {"concealed": "123"}},
                            {"title": "expiry date", "id": "expiry", "value": {"monthYear": 203001}},
                            {"title": "PIN", "id": "pin", "value": {"concealed": "9999"}},
                            {"title": "valid from", "id": "from", "value": {"date": 1577836800}},
                        ],
                    },
                ],
                "passwordHistory": [],
            },
            "overview": {"subtitle": "4111 ****", "title": "Visa", "url": "", "tags": []},
        },
        {
            "uuid": "6adqldbwcjmdvvwpuinrxdgnqe",
            "favIndex": 0,
            "createdAt": 1619465000,
            "updatedAt": 1619465200,
            "state": "archived",
            "categoryUuid": "006",
            "details": {
                "loginFields": [],
                "notesPlain": "passport scan",
                "sections": [],
                "passwordHistory": [],
                "documentAttributes": {
                    "fileName": "passport.pdf",
                    "documentId": "doc1",
                    "decryptedSize": len(attachment),
                },
            },
            "overview": {"subtitle": "", "title": "Passport scan", "url": "", "tags": []},
        },
        {
            "uuid": "trashedtrashedtrashedtrash",
            "favIndex": 0,
            "createdAt": 1619465000,
            "updatedAt": 1619469999,
            "trashed": True,
            "state": "active",
            "categoryUuid": "005",
            "details": {"password": "gone-pw", "loginFields": [], "sections": []},
            "overview": {"title": "Old password", "url": "", "tags": []},
        },
    ]
    data = {
        "accounts": [
            {
                "attrs": {"accountName": "Wendy", "name": "Wendy Appleseed", "avatar": "", "email": "w@example.com",
                          "uuid": "D4RI47B7BJDT25C2LWA7LEJLHZ", "domain": "https://my.1password.com/"},
                "vaults": [{"attrs": {"uuid": "rr3lr6c2opoggvrete23q72ahi", "desc": "", "avatar": "",
                                      "name": "Personal", "type": "P"}, "items": items}],
            }
        ]
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.attributes", json.dumps({"version": 3, "description": "1Password Unencrypted Export",
                                                          "createdAt": 1619466100}))  # fmt: skip
        archive.writestr("export.data", json.dumps(data))
        archive.writestr("files/doc1__passport.pdf", attachment)
        archive.writestr("files/doc2__note.txt", b"hello")
    return buffer.getvalue()


FILES: dict[str, tuple[str, str | bytes]] = {
    # key: (file name as the program writes it, content)
    "chrome-csv": ("Chrome Passwords.csv", CHROME),
    "firefox-csv": ("logins.csv", FIREFOX),
    "safari-csv": ("Passwords.csv", SAFARI),
    "lastpass-csv": ("lastpass_export.csv", LASTPASS),
    "1password-csv": ("1PasswordExport.csv", ONEPASSWORD8),
    "1password7-mac": ("1Password 7 Export.csv", ONEPASSWORD7_MAC),
    "1password7-win": ("1Password Windows.csv", ONEPASSWORD7_WIN),
    "dashlane-csv": ("credentials.csv", DASHLANE_CREDENTIALS),
    "dashlane-payments": ("payments.csv", DASHLANE_PAYMENTS),
    "dashlane-ids": ("ids.csv", DASHLANE_IDS),
    "dashlane-notes": ("securenotes.csv", DASHLANE_NOTES),
    "protonpass-json": ("data.json", json.dumps(PROTONPASS, indent=2)),
    "protonpass-csv": ("Proton Pass_export.csv", PROTONPASS_CSV),
    "nordpass-csv": ("nordpass.csv", NORDPASS),
    "keeper-json": ("keeper.json", json.dumps(KEEPER, indent=2)),
    "1pux": ("1PasswordExport-D4RI47B7BJDT25C2LWA7LEJLHZ-20210426-143000.1pux", onepux()),
}


def write(folder: Path, key: str) -> Path:
    name, content = FILES[key]
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def protonpass_zip() -> bytes:
    """Proton Pass's export as the app writes it: a zip holding ``Proton Pass/data.json``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Proton Pass/data.json", json.dumps(PROTONPASS))
    return buffer.getvalue()
