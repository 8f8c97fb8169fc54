#!/usr/bin/env python3
"""Asks one DNS server for the A records of a name over UDP and prints them; exits 1 when there are none.

  dnsquery.py 10.96.0.10 kubernetes.default.svc.cluster.local
"""
import random
import socket
import struct
import sys


def query(server, name, timeout=2.0):
    qid = random.randrange(65536)
    packet = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    packet += b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"
    packet += struct.pack(">HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(packet, (server, 53))
        data, _ = s.recvfrom(4096)
    rid, flags, qd, an, _, _ = struct.unpack(">HHHHHH", data[:12])
    if rid != qid or flags & 0xF:
        return []
    pos = 12
    for _ in range(qd):
        pos = skip_name(data, pos) + 4
    addresses = []
    for _ in range(an):
        pos = skip_name(data, pos)
        rtype, _, _, length = struct.unpack(">HHIH", data[pos:pos + 10])
        pos += 10
        if rtype == 1 and length == 4:
            addresses.append(socket.inet_ntoa(data[pos:pos + 4]))
        pos += length
    return addresses


def skip_name(data, pos):
    while True:
        length = data[pos]
        if length == 0:
            return pos + 1
        if length & 0xC0 == 0xC0:
            return pos + 2
        pos += length + 1


if __name__ == "__main__":
    found = query(sys.argv[1], sys.argv[2])
    print(" ".join(found))
    sys.exit(0 if found else 1)
