"""Password-protected workbooks: detected from the bytes, decrypted in memory, never on disk.

Excel 2007+ (xlsx, xlsm, xlsb) and Word files with a password are an OLE container holding
`EncryptionInfo` and `EncryptedPackage`; Excel 97-2003 files carry a FILEPASS record; LibreOffice
files list `encryption-data` in their manifest. msoffcrypto-tool decrypts the Office ones; the
ODF scheme (AES-256-CBC, PBKDF2) is small enough to do here with `cryptography`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass

from sarkit.intake.limits import MB, LimitExceeded, Limits, ZipPackage, normalise_name

# Excel encrypts a workbook that is only "protected for writing" with this password and opens it
# without asking; so does every reader.
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"  # noqa: S105 - a published constant, not a secret

MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


class PasswordNeeded(Exception):
    """The file is encrypted and no password was given."""


class WrongPassword(Exception):
    """The password given does not open the file."""


class UnsupportedEncryption(Exception):
    """The file is encrypted in a way sarkit cannot decrypt."""


class LabelEncrypted(UnsupportedEncryption):
    """The file is encrypted by a sensitivity label (rights management): no password opens it."""


# the data spaces of rights management (IRM, Azure RMS, Purview sensitivity labels), for Excel
# 2007+ / Word files (DRMEncrypted...) and 97-2003 ones (DRMContent), as lower-cased stream names
_LABEL_NAMES = {"drmencrypteddataspace", "drmencryptedtransform", "\tdrmdataspace", "\tdrmtransform"}


def label_encrypted(streams: set[str]) -> bool:
    """Whether an OLE file's streams (lower-cased paths, see `sniff.ole_streams`) are a file
    encrypted by a sensitivity label: rights-management data spaces and no password header."""
    if "encryptioninfo" in streams:
        return False
    return "\tdrmcontent" in streams or any(
        name.rsplit("/", 1)[-1] in _LABEL_NAMES for name in streams if name.startswith("\x06dataspaces/"))


def decrypt_office(data: bytes, password: str | None, limits: Limits | None = None) -> bytes:
    """The plain zip package inside an encrypted Excel 2007+ or Word file (in memory).

    The password given is tried, then Excel's default one (a workbook only "protected for
    writing" opens without asking). A password is right when the package it decrypts is a
    zip: msoffcrypto's own check is skipped, as it costs two more key derivations and fails
    on some files written by other tools.
    """
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    from sarkit.intake.sniff import ole_streams

    if label_encrypted(ole_streams(data) or set()):
        raise LabelEncrypted
    check_key_derivation(data, limits or Limits())
    try:
        office = OOXMLFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - msoffcrypto raises many kinds on odd files
        raise UnsupportedEncryption(type(exc).__name__) from None
    for candidate in dict.fromkeys(p for p in (password, EXCEL_DEFAULT_PASSWORD) if p):
        out = io.BytesIO()
        try:
            office.load_key(password=candidate)
            office.decrypt(out)
        except msoffcrypto.exceptions.InvalidKeyError:
            continue
        except Exception as exc:  # noqa: BLE001
            raise UnsupportedEncryption(type(exc).__name__) from None
        plain = out.getvalue()
        if _is_zip(plain):
            return plain
    if not password:
        raise PasswordNeeded
    raise WrongPassword


def _is_zip(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - garbage from a wrong key
        return False
    return True


def check_key_derivation(data: bytes, limits: Limits) -> None:
    """Refuse an agile-encrypted file whose EncryptionInfo asks for more hashing rounds
    (spinCount) than Office ever writes, before msoffcrypto spends them; the XML is read with
    defusedxml here, so its entities never reach msoffcrypto's parser."""
    import olefile
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("EncryptionInfo") or ole.get_size("EncryptionInfo") > 1 * MB:
                return
            info = ole.openstream("EncryptionInfo").read()
    except Exception:  # noqa: BLE001 - damaged: msoffcrypto will say so
        return
    if info[:4] != b"\x04\x00\x04\x00":  # not agile: standard encryption has fixed rounds
        return
    try:
        root = fromstring(info[8:], forbid_dtd=True)
    except DefusedXmlException:
        raise LimitExceeded(
            "its encryption header declares a DTD or entities (an XML attack?)", "xml_entities"
        ) from None
    except Exception as exc:  # noqa: BLE001
        raise UnsupportedEncryption("EncryptionInfo") from exc
    rounds = [value for element in root.iter() for key, value in element.attrib.items()
              if key.rsplit("}", 1)[-1] == "spinCount"]
    _check_rounds(max((_int(v) for v in rounds), default=0), limits)


def _int(text: str) -> int:
    try:
        return int(text.strip()[:20])
    except ValueError:
        return 0


def _check_rounds(rounds: int, limits: Limits) -> None:
    if rounds > limits.max_key_iterations:
        raise LimitExceeded(
            f"its password protection asks for {rounds:,} rounds of key derivation, over the "
            f"limit of {limits.max_key_iterations:,} (Excel, Word and LibreOffice write 100,000; "
            "more only costs time, and a file asking for billions would take hours)",
            "max_key_iterations")


def xls_is_encrypted(data: bytes) -> bool:
    """Whether an Excel 97-2003 workbook stream starts with a FILEPASS record."""
    from msoffcrypto.format.xls97 import Xls97File

    try:
        return bool(Xls97File(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - a damaged file: let the reader say so
        return False


def decrypt_xls(data: bytes, password: str | None) -> bytes:
    """A decrypted copy of an Excel 97-2003 workbook; Excel's own default password is tried first."""
    import msoffcrypto
    from msoffcrypto.format.xls97 import Xls97File

    candidates = [EXCEL_DEFAULT_PASSWORD] + ([password] if password else [])
    for candidate in candidates:
        out = io.BytesIO()
        try:
            office = Xls97File(io.BytesIO(data))
            office.load_key(password=candidate)
            office.decrypt(out)
        except msoffcrypto.exceptions.InvalidKeyError:
            continue
        except Exception as exc:  # noqa: BLE001
            raise UnsupportedEncryption(type(exc).__name__) from None
        return out.getvalue()
    if password is None:
        raise PasswordNeeded
    raise WrongPassword


# ---- ODF (LibreOffice) --------------------------------------------------------------------------

@dataclass(slots=True)
class _OdfEntry:
    path: str
    media_type: str
    encryption: dict[str, str] | None


def _odf_manifest(package: ZipPackage) -> list[_OdfEntry]:
    import defusedxml.ElementTree as SafeET

    raw = package.read_small("META-INF/manifest.xml")
    if raw is None:
        return []
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except Exception:  # noqa: BLE001 - a damaged manifest: the reader will judge the file
        return []
    ns = "{" + MANIFEST_NS + "}"
    entries = []
    for item in root.iter(ns + "file-entry"):
        data = item.find(ns + "encryption-data")
        encryption = None
        if data is not None:
            encryption = {f"data.{k[len(ns):]}": v for k, v in data.attrib.items() if k.startswith(ns)}
            for child in data:
                tag = child.tag[len(ns):] if child.tag.startswith(ns) else child.tag
                for key, value in child.attrib.items():
                    if key.startswith(ns):
                        encryption[f"{tag}.{key[len(ns):]}"] = value
            size = item.get(ns + "size")
            if size:
                encryption["size"] = size
        entries.append(_OdfEntry(item.get(ns + "full-path", ""), item.get(ns + "media-type", ""),
                                 encryption))
    return entries


def odf_is_encrypted(package: ZipPackage) -> bool:
    """Whether a LibreOffice file's manifest says its parts are encrypted."""
    return any(entry.encryption for entry in _odf_manifest(package))


AES_CBC = {
    "http://www.w3.org/2001/04/xmlenc#aes256-cbc": 32,
    "http://www.w3.org/2001/04/xmlenc#aes192-cbc": 24,
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc": 16,
}
START_KEY = {
    "http://www.w3.org/2000/09/xmldsig#sha256": "sha256",
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256": "sha256",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "SHA1": "sha1",
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
}
CHECKSUM = {
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k": "sha256",
    "SHA256/1K": "sha256",
    "SHA1/1K": "sha1",
    "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha1-1k": "sha1",
}


ODF_PARTS_READ = {"content.xml"}  # what the reader of a LibreOffice spreadsheet reads


def decrypt_odf(package: ZipPackage, password: str | None, limits: Limits) -> bytes:
    """A plain copy (in memory) of an encrypted LibreOffice file, with a manifest saying so."""
    if password is None:
        raise PasswordNeeded
    entries = _odf_manifest(package)
    encrypted = {normalise_name(e.path): e.encryption for e in entries if e.encryption}
    plain: dict[str, bytes] = {}
    for path, params in encrypted.items():
        info = package.find(path)
        if info is None or path not in ODF_PARTS_READ:
            continue  # styles, settings, thumbnails: the reader never needs them
        raw = b"".join(package.stream(info))
        plain[path] = _decrypt_part(raw, params, password, limits, path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        mimetype = package.find("mimetype")
        if mimetype is not None:
            archive.writestr("mimetype", package.read_small("mimetype") or b"")
        for info in package.infos:
            name = normalise_name(info.filename)
            if name in {"mimetype", "META-INF/manifest.xml"} or name.endswith("/"):
                continue
            if name in encrypted and name not in plain:
                continue  # still encrypted: left out
            body = plain[name] if name in plain else b"".join(package.stream(info, count=False))
            archive.writestr(name, body)
        kept = [e for e in entries
                if not (normalise_name(e.path) in encrypted and normalise_name(e.path) not in plain)]
        archive.writestr("META-INF/manifest.xml", _plain_manifest(kept))
    return out.getvalue()


def _decrypt_part(raw: bytes, params: dict[str, str], password: str, limits: Limits,
                  path: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    algorithm = params.get("algorithm.algorithm-name", "")
    derivation = params.get("key-derivation.key-derivation-name", "")
    start_name = params.get("start-key-generation.start-key-generation-name", "SHA1")
    if algorithm not in AES_CBC or derivation != "PBKDF2" or start_name not in START_KEY:
        raise UnsupportedEncryption("algorithm")
    try:
        iv = base64.b64decode(params["algorithm.initialisation-vector"])
        salt = base64.b64decode(params["key-derivation.salt"])
        iterations = int(params["key-derivation.iteration-count"])
        key_size = int(params.get("key-derivation.key-size", AES_CBC[algorithm]))
        checksum = base64.b64decode(params.get("data.checksum", ""))
    except (KeyError, ValueError) as exc:
        raise UnsupportedEncryption("manifest") from exc
    _check_rounds(iterations, limits)
    if iterations <= 0 or key_size not in (16, 24, 32) or len(iv) != 16:
        raise UnsupportedEncryption("parameters")
    start_key = hashlib.new(START_KEY[start_name], password.encode("utf-8")).digest()
    key = hashlib.pbkdf2_hmac("sha1", start_key, salt, iterations, dklen=key_size)
    if len(raw) % 16:
        raise WrongPassword
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(raw) + decryptor.finalize()
    pad = padded[-1] if padded else 0
    unpadded = padded[:-pad] if 0 < pad <= 16 else padded
    checksum_type = CHECKSUM.get(params.get("data.checksum-type", ""))
    if checksum and checksum_type:
        if not any(hashlib.new(checksum_type, candidate[:1024]).digest() == checksum
                   for candidate in (unpadded, padded)):
            raise WrongPassword
    inflater = zlib.decompressobj(-15)
    try:
        body = inflater.decompress(unpadded, limits.max_member_size + 1)
    except zlib.error:
        if checksum and checksum_type:
            return unpadded  # stored without compression
        raise WrongPassword from None
    if len(body) > limits.max_member_size or inflater.unconsumed_tail:
        raise LimitExceeded(
            f"the part {path} inside it is more than {limits.max_member_size // MB:,} MB once "
            "decrypted and uncompressed", "max_member_size")
    return body


def _plain_manifest(entries: list[_OdfEntry]) -> bytes:
    from xml.sax.saxutils import quoteattr  # imports urllib and http: only when needed

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest:manifest xmlns:manifest="{MANIFEST_NS}" manifest:version="1.2">',
    ]
    for entry in entries:
        lines.append(
            f" <manifest:file-entry manifest:full-path={quoteattr(entry.path)} "
            f"manifest:media-type={quoteattr(entry.media_type)}/>"
        )
    lines.append("</manifest:manifest>")
    return "\n".join(lines).encode("utf-8")
