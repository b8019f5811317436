"""Gzip for cached pages whose CSP nonce changes on every response.

A cached page is split on its nonce placeholder; each segment is deflated once, on its own
(ending byte-aligned, not final). Serving a page then only stitches the segments around the
request's nonce, sent as a stored (uncompressed) deflate block, and writes the gzip trailer
(CRC-32 and size of the whole): no compression work per request, a valid RFC 1952 stream.
"""

import struct
import zlib
from dataclasses import dataclass

_ENTETE = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no mtime, OS unknown
_FIN = b"\x01\x00\x00\xff\xff"  # final empty stored block


@dataclass(frozen=True)
class PagePreparee:
    segments: tuple[bytes, ...]
    compresses: tuple[bytes, ...]

    @property
    def octets(self) -> int:
        return sum(map(len, self.segments)) + sum(map(len, self.compresses))

    def brute(self, nonce: bytes) -> bytes:
        return nonce.join(self.segments)

    def gzip(self, nonce: bytes) -> bytes:
        if len(nonce) > 0xFFFF:
            raise ValueError("nonce trop long")
        bloc = b"\x00" + struct.pack("<HH", len(nonce), len(nonce) ^ 0xFFFF) + nonce
        morceaux = [_ENTETE]
        crc = 0
        taille = 0
        for i, (brut, compresse) in enumerate(zip(self.segments, self.compresses, strict=True)):
            if i:
                morceaux.append(bloc)
                crc = zlib.crc32(nonce, crc)
                taille += len(nonce)
            morceaux.append(compresse)
            crc = zlib.crc32(brut, crc)
            taille += len(brut)
        morceaux.append(_FIN)
        morceaux.append(struct.pack("<II", crc & 0xFFFFFFFF, taille & 0xFFFFFFFF))
        return b"".join(morceaux)


def preparer(corps: bytes, marque: bytes) -> PagePreparee:
    segments = tuple(corps.split(marque))
    compresses = []
    for segment in segments:
        compresseur = zlib.compressobj(6, zlib.DEFLATED, -15)
        compresses.append(compresseur.compress(segment) + compresseur.flush(zlib.Z_FULL_FLUSH))
    return PagePreparee(segments, tuple(compresses))
