"""Read every page of a SQLCipher file (and its WAL) decrypted, free pages
included, so a test can show that wiped text is really gone from the disk.

SQLCipher 4 defaults with a raw key: 4096-byte pages, each ending in 80
reserved bytes (a 16-byte IV, then a 64-byte HMAC); the data before them is
AES-256-CBC under the key; page 1 begins with the 16-byte salt instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
WAL_HEADER = 32
FRAME_HEADER = 24


def _decrypt(page: bytes, key: bytes, first: bool) -> bytes:
    start = 16 if first else 0
    body = page[start : PAGE - RESERVE]
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def plaintext_pages(database: Path, key: bytes) -> Iterator[bytes]:
    data = database.read_bytes()
    for number in range(len(data) // PAGE):
        yield _decrypt(data[number * PAGE : (number + 1) * PAGE], key, number == 0)
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        raw = wal.read_bytes()
        offset = WAL_HEADER
        while offset + FRAME_HEADER + PAGE <= len(raw):
            page_number = int.from_bytes(raw[offset : offset + 4], "big")
            frame = raw[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE]
            yield _decrypt(frame, key, page_number == 1)
            offset += FRAME_HEADER + PAGE


def contains(database: Path, key: bytes, needle: bytes) -> bool:
    return any(needle in page for page in plaintext_pages(database, key))
