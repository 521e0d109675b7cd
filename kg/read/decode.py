"""Read stage, decoding: a file's bytes → text.

Input: the bytes of a text file or HTML page; output: the text (UTF-8, UTF-16/32 with or
without a BOM, Vietnamese cp1258, else cp1252 or Latin-1), refused when it is binary, then
given Unix line endings, NFC and spaces for control characters. Reads no data files.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from kg.errors import InputError

__all__ = ["clean_controls", "decode_bytes", "decode_html", "normalize_text"]

log = logging.getLogger(__name__)

# More than this share of C0 control bytes (other than tab, newlines, form feed)
# means the file is not text; real text has next to none, random bytes about 10%.
_MAX_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_CHAR_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# What text may not carry on: C0 controls but tab and newline, DEL, C1 controls, lone
# surrogates (JSON can write them) and the two non-characters XML 1.0 refuses.
_UNWANTED_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Text whose letters are at least this share ASCII is Latin-script text: it is read as
# cp1252 (or Latin-1), never in a rare code page a detector might name for it.
_MIN_ASCII_LETTERS = 0.5
# charset-normalizer's "chaos" (mess ratio) above which its guess is not trusted.
_MAX_CHAOS = 0.2
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The five Vietnamese tone marks, which cp1258 writes as combining characters after
# the vowel; their presence, each after a vowel, is what tells cp1258 from cp1252.
_VIETNAMESE_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VIETNAMESE_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯYàáèéìíòóùúýÀÁÈÉÌÍÒÓÙÚÝ")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, path: str) -> str:
    """Decode the bytes of a text file.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, and UTF-16 without one (told
    by its zero bytes) are read as they are. Other bytes are decoded as what
    Vietnamese-English news is written in: Vietnamese cp1258 (recognised by its
    combining tone marks after vowels), else cp1252, else Latin-1 (cp1252 leaves five
    bytes undefined), as long as the letters are mostly ASCII; only text that is not
    Latin-script is left to charset-normalizer's guess. A warning names the encoding.
    A few NUL or other control bytes do not make a file binary (they become spaces in
    :func:`normalize_text`); a share over 5% does.

    Args:
        data: the file's bytes.
        path: the file, for messages.

    Returns:
        The text, not yet normalised (see :func:`normalize_text`).

    Raises:
        InputError: binary data, or not UTF-8 and the encoding could not be determined.

    Examples:
        >>> decode_bytes("Hội nghị".encode("utf-8"), "a.txt")
        'Hội nghị'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _text_or_binary(data.decode(encoding), path)
            except UnicodeDecodeError as err:
                raise InputError(
                    path, f"starts with a {encoding} byte-order mark but is not {encoding}"
                ) from err
    if b"\x00" in data:
        text = _guess_utf16(data)
        if text is not None:
            log.warning("%s: not UTF-8; decoded as UTF-16 without a byte-order mark", path)
            return _text_or_binary(text, path)
        # else a few NUL bytes in text: counted as control bytes below, then spaces
    if len(data.translate(None, _NON_CONTROL_BYTES)) > _MAX_CONTROL_SHARE * len(data):
        raise InputError(path, "binary file, not text")
    try:
        return _text_or_binary(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    guessed = _guess_legacy(data)
    if guessed is None:
        raise InputError(path, "not UTF-8 and the encoding could not be determined")
    text, encoding = guessed
    log.warning("%s: not UTF-8; decoded as %s", path, encoding)
    return _text_or_binary(text, path)


def normalize_text(text: str) -> str:
    r"""Remove a BOM, make line endings ``\n``, normalise to NFC and clean control characters.

    Control characters other than tab and newline become spaces, one for one, so
    character offsets into the text stay those of the text as read
    (:func:`clean_controls`).

    Examples:
        >>> normalize_text("\ufeffTrần\r\nQuốc\r") == "Trần\nQuốc\n"
        True
        >>> len(normalize_text("Nguye\u0302\u0303n"))
        6
        >>> normalize_text("Ana\x02Lum\x00")
        'Ana Lum '
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return clean_controls(unicodedata.normalize("NFC", text))


def clean_controls(text: str) -> str:
    r"""Replace each control character but tab and newline by a space.

    Also lone surrogates and U+FFFE/U+FFFF: nothing a label or an XML export may not hold
    gets past the read stage.

    Examples:
        >>> clean_controls("Hội\x0bnghị\x7f\tA\x85B\n")
        'Hội nghị \tA B\n'
    """
    return _UNWANTED_RE.sub(" ", text)


def _text_or_binary(text: str, path: str) -> str:
    """Refuse decoded text that is mostly control characters."""
    if len(_CONTROL_CHAR_RE.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(path, "binary file, not text")
    return text


def _guess_utf16(data: bytes) -> str | None:
    """Decode UTF-16 written without a BOM, told by its zero bytes; else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    half = len(data) // 2
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    if odd_zeros >= 0.3 * half and even_zeros == 0:
        encoding = "utf-16-le"
    elif even_zeros >= 0.3 * half and odd_zeros == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """Decode non-UTF-8 text: Vietnamese cp1258, else cp1252 or Latin-1 for Latin script.

    Only when the letters are mostly not ASCII (not English text in any Western code
    page) is charset-normalizer asked, and its guess kept if it reads cleanly.
    """
    cp1258 = _as_vietnamese_cp1258(data)
    if cp1258 is not None:
        return cp1258, "cp1258"
    for encoding in ("cp1252", "latin_1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_ascii_letters(text):
            return text, encoding
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return None
    return str(best), best.encoding


def _mostly_ascii_letters(text: str) -> bool:
    """Tell whether most letters are ASCII, as in English (and Latin-script) text.

    Examples:
        >>> _mostly_ascii_letters("José Núñez"), _mostly_ascii_letters("Ïðèâåò")
        (True, False)
    """
    letters = [ch for ch in text if ch.isalpha()]
    ascii_letters = sum(ch.isascii() for ch in letters)
    return bool(letters) and ascii_letters >= _MIN_ASCII_LETTERS * len(letters)


def _as_vietnamese_cp1258(data: bytes) -> str | None:
    """Decode as cp1258 if the bytes read as Vietnamese there; else None.

    Vietnamese in cp1258 writes most tones as combining marks after a vowel; in any
    other code page those bytes are letters such as "Ì" or "Þ". So: at least one tone
    mark, and every combining mark after a vowel.
    """
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    tones = 0
    for i, ch in enumerate(text):
        if unicodedata.combining(ch):
            if ch not in _VIETNAMESE_TONES or i == 0 or text[i - 1] not in _VIETNAMESE_VOWELS:
                return None
            tones += 1
    return text if tones else None


def decode_html(data: bytes, path: str) -> str:
    """Decode an HTML page, trusting its ``<meta charset>`` when the bytes agree."""
    m = _META_CHARSET_RE.search(data[:4096])
    if (
        m
        and b"\x00" not in data
        and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        name = m.group(1).decode("ascii")
        try:
            encoding = codecs.lookup(name).name
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            log.info("%s: declared charset %s does not fit; detecting", path, name)
        else:
            return _text_or_binary(text, path)
    return decode_bytes(data, path)
