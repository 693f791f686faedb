"""Outlook .msg emails read straight from the compound file (MS-OXMSG), with olefile only.

A .msg is an OLE compound file of MAPI properties: variable-length ones in streams named
`__substg1.0_XXXXYYYY` (property id, property type), fixed-length ones in the 16-byte records of
`__properties_version1.0`. Each attachment is a storage `__attach_version1.0_#XXXXXXXX`; an email
attached to the email is the storage `__substg1.0_3701000D` inside it, read in place, as a message
of its own, without writing it out again.

Decisions: the date is the time the email was sent (PR_CLIENT_SUBMIT_TIME), else delivered
(PR_MESSAGE_DELIVERY_TIME), shown in UK time; else the transport headers' Date:, as sent. The
streams read from one file add up to at most the file's size, so a damaged file whose streams share
sectors cannot make the reader use more memory than the file holds.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import struct

import olefile

from sarkit.intake.email import MAX_DEPTH, MSG_TYPE, Attachment, Email, header_date, header_value, safe_name

# property ids
MESSAGE_CLASS, SUBJECT, TRANSPORT_HEADERS = 0x001A, 0x0037, 0x007D
SENDER_NAME, SENDER_EMAIL, SENDER_SMTP = 0x0C1A, 0x0C1F, 0x5D01
SENT_FOR_NAME, SENT_FOR_EMAIL = 0x0042, 0x0065
SUBMIT_TIME, DELIVERY_TIME = 0x0039, 0x0E06
MESSAGE_CODEPAGE, INTERNET_CPID = 0x3FFD, 0x3FDE
ATTACH_DATA, ATTACH_LONG_NAME, ATTACH_NAME, DISPLAY_NAME = 0x3701, 0x3707, 0x3704, 0x3001
ATTACH_MIME, ATTACH_METHOD = 0x370E, 0x3705
# property types
UNICODE, STRING8, BINARY, OBJECT, LONG, SYSTIME = 0x001F, 0x001E, 0x0102, 0x000D, 0x0003, 0x0040
# attach methods (PidTagAttachMethod)
BY_VALUE, EMBEDDED_MESSAGE, OLE_OBJECT = 1, 5, 6
BY_REFERENCE = (2, 3, 4, 7)

SMIME_TYPES = {"multipart/signed", "application/pkcs7-mime", "application/x-pkcs7-mime"}
PICTURE_WORDS = ("picture", "bitmap", "metafile", "image", "paintbrush", "photo")
PROPERTIES = "__properties_version1.0"
ATTACH_PREFIX = "__attach_version1.0_#"
TOP_HEADER, EMBEDDED_HEADER, ATTACH_HEADER = 32, 24, 8  # bytes before the property records
MAX_STRING = 1_000_000  # a subject or header longer than this is damage, not text
FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
OLE_ERRORS = (OSError, ValueError, IndexError, OverflowError, struct.error)  # what olefile raises on damage


class DamagedMessage(ValueError):
    """The .msg cannot be read; the message says why, without quoting its contents."""


class DamagedStream(DamagedMessage):
    """One stream cannot be read: the whole message when it is a property, one attachment when data."""


def parse_msg(data: bytes) -> Email:
    """The email in an Outlook .msg file: sender, date, subject and attachments."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))  # bytes shorter than 1,536 would be taken for a path
    except OLE_ERRORS as exc:
        raise DamagedMessage(f"the email file is damaged or incomplete ({type(exc).__name__})") from exc
    try:
        return _Message(ole, [], ole.root, _Budget(len(data)), TOP_HEADER).email(MAX_DEPTH)
    finally:
        ole.close()


class _Budget:
    """Bytes left to read: a well-formed file never holds more in its streams than its own size."""

    def __init__(self, size: int) -> None:
        self.left = size

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise DamagedMessage("the parts of the email file add up to more than it holds (it is damaged)")


class _Message:
    """One message (the file's, or an attached email's) under a storage path of the compound file."""

    def __init__(self, ole, path: list[str], node, budget: _Budget, header: int,
                 codepage: str = "cp1252") -> None:
        self.ole, self.path, self.budget = ole, path, budget
        self.kids = {kid.name.lower(): kid for kid in (node.kids or [])}
        self.fixed = self._fixed(header)
        self.codepage = _codec(self.fixed.get(MESSAGE_CODEPAGE) or self.fixed.get(INTERNET_CPID), codepage)

    def email(self, levels: int) -> Email:
        headers = self._headers()
        subject = self.text(SUBJECT) or header_value(headers, "subject")
        date = (_filetime(self.fixed.get(SUBMIT_TIME)) or _filetime(self.fixed.get(DELIVERY_TIME))
                or header_date(header_value(headers, "date")))
        attachments = self._attachments(levels)
        kind = self.text(MESSAGE_CLASS).lower()
        if kind.startswith("ipm.note.smime"):
            attachments = _smime(attachments, signed=kind.startswith("ipm.note.smime.multipartsigned"))
        return Email(self._sender(headers), date, subject, attachments)

    # ---- properties -----------------------------------------------------------------------------

    def stream(self, name: str, limit: int | None = None) -> bytes | None:
        """A stream's bytes, None when there is none (or it is longer than `limit`)."""
        kid = self.kids.get(name.lower())
        if kid is None or kid.entry_type != olefile.STGTY_STREAM:
            return None
        if limit is not None and kid.size > limit:
            return None
        self.budget.take(kid.size)
        try:
            with self.ole.openstream([*self.path, kid.name]) as handle:
                data = handle.read()
        except OLE_ERRORS as exc:
            raise DamagedStream(f"the email file is damaged ({type(exc).__name__})") from exc
        if len(data) != kid.size:  # olefile gives what there is of a stream cut short
            raise DamagedStream("the email file is cut short (it is incomplete)")
        return data

    def text(self, prop: int) -> str:
        """A string property on one line."""
        return " ".join(self.raw_text(prop).split())

    def raw_text(self, prop: int) -> str:
        """A string property, UTF-16 (001F) or 8-bit in the message's code page (001E)."""
        raw = self.stream(f"__substg1.0_{prop:04X}{UNICODE:04X}", MAX_STRING)
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").replace("\0", "")
        raw = self.stream(f"__substg1.0_{prop:04X}{STRING8:04X}", MAX_STRING)
        return raw.decode(self.codepage, errors="replace").replace("\0", "") if raw is not None else ""

    def _fixed(self, header: int) -> dict[int, int]:
        """The fixed-length integer and time properties, by property id."""
        raw = self.stream(PROPERTIES, 16 * 100_000) or b""
        found: dict[int, int] = {}
        for start in range(header, len(raw) - 15, 16):
            tag, _flags, value = struct.unpack_from("<IIQ", raw, start)
            kind = tag & 0xFFFF
            if kind == LONG:
                found[tag >> 16] = value & 0xFFFFFFFF
            elif kind == SYSTIME:
                found[tag >> 16] = value
        return found

    def _headers(self):
        import email.parser
        import email.policy

        text = self.raw_text(TRANSPORT_HEADERS)
        return email.parser.Parser(policy=email.policy.default).parsestr(text, headersonly=True)

    def _sender(self, headers) -> str:
        sender = header_value(headers, "from")
        if sender:
            return sender
        name = self.text(SENDER_NAME) or self.text(SENT_FOR_NAME)
        addresses = (self.text(SENDER_SMTP), self.text(SENDER_EMAIL), self.text(SENT_FOR_EMAIL))
        address = next((a for a in addresses if "@" in a), "")  # not an Exchange /O=ORG/OU=… address
        if name and address and address.lower() not in name.lower():
            return f"{name} <{address}>"
        return name or address

    # ---- attachments ----------------------------------------------------------------------------

    def _attachments(self, levels: int) -> list[Attachment]:
        folders = sorted((kid for key, kid in self.kids.items()
                          if key.startswith(ATTACH_PREFIX) and kid.entry_type == olefile.STGTY_STORAGE),
                         key=lambda kid: kid.name.lower())
        found = []
        for index, kid in enumerate(folders, start=1):
            part = _Message(self.ole, [*self.path, kid.name], kid, self.budget, ATTACH_HEADER, self.codepage)
            found.append(part.attachment(index, levels))
        return found

    def attachment(self, index: int, levels: int) -> Attachment:
        """This storage read as an attachment: a file, an attached email, or why it cannot be read."""
        name = self.text(ATTACH_LONG_NAME) or self.text(ATTACH_NAME) or self.text(DISPLAY_NAME)
        content_type = self.text(ATTACH_MIME).lower()
        method = self.fixed.get(ATTACH_METHOD, BY_VALUE)
        inner = self.kids.get(f"__substg1.0_{ATTACH_DATA:04X}{OBJECT:04X}".lower())
        if inner is not None and inner.entry_type == olefile.STGTY_STORAGE and method != OLE_OBJECT:
            shown = safe_name(name or f"attachment {index}.msg", index)
            if levels <= 0:  # never reached: read_email refuses an email this deep first
                return Attachment(shown, MSG_TYPE, b"", problem="it is an email inside too many other emails")
            message = _Message(self.ole, [*self.path, inner.name], inner, self.budget, EMBEDDED_HEADER,
                               self.codepage)
            return Attachment(shown, MSG_TYPE, b"", message=message.email(levels - 1))
        shown = safe_name(name, index, content_type)
        if method in BY_REFERENCE:
            return Attachment(shown, content_type, b"", problem="it is a link to a file, not the file itself")
        if method == OLE_OBJECT or inner is not None:
            if self._pasted_picture(name, inner):
                return Attachment(shown, "image/x-pasted-object", b"")  # ignored like any picture
            return Attachment(shown, content_type, b"", problem="it is an object pasted into the body "
                                                                "of the email, not an attached file")
        try:
            data = self.stream(f"__substg1.0_{ATTACH_DATA:04X}{BINARY:04X}")
        except DamagedStream as exc:
            return Attachment(shown, content_type, b"", problem=str(exc))
        if data is None:
            return Attachment(shown, content_type, b"", problem="its contents are missing")
        return Attachment(shown, content_type, data)

    def _pasted_picture(self, name: str, inner) -> bool:
        """Whether an object pasted into the email is a picture, by its name or its OLE user type."""
        user_type = b""
        if inner is not None and inner.entry_type == olefile.STGTY_STORAGE:
            pasted = _Message(self.ole, [*self.path, inner.name], inner, self.budget, ATTACH_HEADER)
            user_type = pasted.stream("\x01CompObj", 4096) or b""
        words = f"{name} {user_type.decode('latin-1')}".lower()
        return any(word in words for word in PICTURE_WORDS)


def _smime(attachments: list[Attachment], *, signed: bool) -> list[Attachment]:
    """A signed email's attachments are inside its MIME body, `smime.p7m`; an encrypted one's are sealed."""
    from sarkit.intake.email import parse_eml

    found: list[Attachment] = []
    for attachment in attachments:
        if not (attachment.name.lower().endswith(".p7m") or attachment.content_type in SMIME_TYPES):
            found.append(attachment)
        elif signed and attachment.data:
            found.extend(parse_eml(attachment.data).attachments)
        else:
            problem = attachment.problem or ("the email is sealed with S/MIME (encrypted or signed), "
                                             "which sarkit cannot open")
            found.append(Attachment(attachment.name, attachment.content_type, b"", problem=problem))
    return found


def _codec(codepage: int | None, default: str) -> str:
    """The Python codec of a Windows code page; `default` when none is given or it is unknown."""
    if not codepage:
        return default
    names = {65001: "utf-8", 20127: "ascii", 28591: "latin-1", 1200: "utf-16-le", 65000: "utf-7"}
    try:
        return codecs.lookup(names.get(codepage, f"cp{codepage}")).name
    except LookupError:
        return default


def _filetime(value: int | None) -> str:
    """A FILETIME (100 ns since 1601, UTC) as UK time; '' for none, zero or Outlook's 'no date'."""
    if not value:
        return ""
    try:
        when = FILETIME_EPOCH + dt.timedelta(microseconds=value // 10)
    except OverflowError:
        return ""
    if not 1980 <= when.year <= 2200:
        return ""
    try:
        from zoneinfo import ZoneInfo

        return when.astimezone(ZoneInfo("Europe/London")).strftime("%d/%m/%Y %H:%M")
    except (ImportError, KeyError, ValueError, OSError):  # no time-zone data on this computer
        return when.strftime("%d/%m/%Y %H:%M UTC")
