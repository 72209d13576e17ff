#!/usr/bin/env python3
"""Differential probe of the ZooKeeper wire protocol.

Sends the same raw requests (every opcode, the error-order edge cases, multi rollback, watches, ACLs,
reconnects) to two servers and prints every step whose replies differ: error code, reply zxid relative to the
first write, body bytes with timestamps and session ids masked, and the watch events before each reply.

usage: zookeeper-oracle.py APACHE_PORT ZOOSTACK_PORT   (both on 127.0.0.1, both freshly started for exact zxids)

Run it against a real Apache ZooKeeper 3.8 (4lw whitelist *, admin.enableServer=false) and the embedded server.
"""
import socket, struct, sys, random

def s_(x):
    if x is None: return struct.pack(">i", -1)
    b = x.encode() if isinstance(x, str) else x
    return struct.pack(">i", len(b)) + b
def i_(x): return struct.pack(">i", x)
def l_(x): return struct.pack(">q", x)
def b_(x): return b"\x01" if x else b"\x00"
def acl_open(): return i_(1) + i_(31) + s_("world") + s_("anyone")

class C:
    def __init__(self, port, timeout=1000, sid=0, pw=b"\0"*16, last=0):
        self.s = socket.create_connection(("127.0.0.1", port)); self.s.settimeout(3)
        self.xid = 1
        self.send(i_(0) + l_(last) + i_(timeout) + l_(sid) + s_(pw) + b"\x00")
        r = self.frame()
        self.connect = None if r is None else struct.unpack(">iiq", r[:16]) + (r[20:36], len(r))
        if r is not None: self.sid = struct.unpack(">iiq", r[:16])[2]
    def send(self, body): self.s.sendall(i_(len(body)) + body)
    def frame(self):
        def rd(n):
            d = b""
            while len(d) < n:
                try: c = self.s.recv(n - len(d))
                except socket.timeout: return None
                if not c: return None
                d += c
            return d
        h = rd(4)
        if h is None: return None
        return rd(struct.unpack(">i", h)[0])
    def req(self, op, body=b"", xid=None):
        if xid is None: xid = self.xid; self.xid += 1
        self.send(i_(xid) + i_(op) + body)
        out = []
        while True:
            f = self.frame()
            if f is None: out.append(("CLOSED",)); return out
            rx, zx, err = struct.unpack(">iqi", f[:16])
            out.append((rx, zx, err, f[16:]))
            if rx != -1: return out

def stat(b):
    f = struct.unpack(">qqqqiiiqiiq", b[:68])
    return dict(czxid=f[0], mzxid=f[1], version=f[4], cversion=f[5], aversion=f[6], owner=f[7], dlen=f[8], nchild=f[9], pzxid=f[10])

import time as _t
def normalize(b, base, c):
    out = bytearray(b); i = 0; now = int(_t.time() * 1000); marks = []
    while i + 8 <= len(out):
        v = struct.unpack(">q", bytes(out[i:i+8]))[0]
        tag = None
        if False: pass
        elif abs(v - now) < 86400000: tag = b"TIMESTMP"
        elif hasattr(c, "sid") and v == c.sid: tag = b"SESSIONX"
        if tag and len(tag) == 8:
            out[i:i+8] = tag; i += 8
        else:
            i += 1
    return bytes(out)

def run(port, root):
    log = []
    a = C(port, 1000)
    log.append(("connect", a.connect[0], a.connect[1], a.connect[4]))
    base = None
    def R(name, op, body=b"", c=None, xid=None):
        nonlocal base
        c = c or a
        res = c.req(op, body, xid)
        norm = []
        for r in res:
            if r[0] == "CLOSED": norm.append("CLOSED"); continue
            rx, zx, err, body_ = r
            if base is None and zx > 0: base = zx
            rel = zx if zx <= 0 else zx - base
            norm.append((rx, rel, err, len(body_), body_ if rx == -1 else normalize(body_, base, c)))
        log.append((name, norm))
        return res
    R("create root", 1, s_(root) + s_(b"") + acl_open() + i_(0))
    for p in [root + "//x", root + "/", "noslash", root + "/a\x00b", root + "/.", "/missing/x", root]:
        R("create " + repr(p), 1, s_(p) + s_(b"") + acl_open() + i_(0))
    R("create flags 7", 1, s_(root + "/f") + s_(b"") + acl_open() + i_(7))
    R("create flags ttl", 1, s_(root + "/f") + s_(b"") + acl_open() + i_(5))
    R("createTTL", 21, s_(root + "/f") + s_(b"") + acl_open() + i_(5) + l_(100))
    R("create empty acl", 1, s_(root + "/f") + s_(b"") + i_(0) + i_(0))
    R("create auth acl noauth", 1, s_(root + "/f") + s_(b"") + i_(1) + i_(31) + s_("auth") + s_("") + i_(0))
    R("create bad world id", 1, s_(root + "/f") + s_(b"") + i_(1) + i_(31) + s_("world") + s_("x") + i_(0))
    R("create null data", 15, s_(root + "/nd") + s_(None) + acl_open() + i_(0))
    r = R("getData null", 4, s_(root + "/nd") + b_(False))
    R("create eph", 1, s_(root + "/eph") + s_(b"") + acl_open() + i_(1))
    R("create under eph", 1, s_(root + "/eph/c") + s_(b"") + acl_open() + i_(0))
    R("container", 19, s_(root + "/cont") + s_(b"") + acl_open() + i_(4))
    r = R("exists container", 3, s_(root + "/cont") + b_(False))
    for special in ["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config", "", "noslash"]:
        R("delete " + special, 2, s_(special) + i_(-1))
    R("create p", 1, s_(root + "/p") + s_(b"") + acl_open() + i_(0))
    R("create p/c", 1, s_(root + "/p/c") + s_(b"") + acl_open() + i_(0))
    R("delete p badversion", 2, s_(root + "/p") + i_(5))
    R("delete p notempty", 2, s_(root + "/p") + i_(-1))
    R("delete missing", 2, s_(root + "/nope") + i_(-1))
    R("delete /R//x", 2, s_(root + "//x") + i_(-1))
    # sequential probe
    R("mk s", 1, s_(root + "/s") + s_(b"") + acl_open() + i_(0))
    for n in ["a", "b"]: R("mk " + n, 1, s_(root + "/s/" + n) + s_(b"") + acl_open() + i_(0))
    for n in ["c", "d", "e"]:
        R("mk " + n, 1, s_(root + "/s/" + n) + s_(b"") + acl_open() + i_(0))
        R("rm " + n, 2, s_(root + "/s/" + n) + i_(-1))
    R("seq", 1, s_(root + "/s/e-") + s_(b"") + acl_open() + i_(2))
    R("stat s", 3, s_(root + "/s") + b_(False))
    R("stat /zookeeper", 3, s_("/zookeeper") + b_(False))
    pass
    R("getACL config", 6, s_("/zookeeper/config"))
    R("setData config", 5, s_("/zookeeper/config") + s_(b"x") + i_(-1))
    R("getData config", 4, s_("/zookeeper/config") + b_(False))
    # watches and ordering
    R("exists missing watch", 3, s_(root + "/w") + b_(True))
    R("create w", 1, s_(root + "/w") + s_(b"") + acl_open() + i_(0))
    R("getData w watch", 4, s_(root + "/w") + b_(True))
    R("getChildren w watch", 8, s_(root + "/w") + b_(True))
    R("delete w", 2, s_(root + "/w") + i_(-1))
    R("checkWatches none", 17, s_(root + "/w") + i_(3))
    R("removeWatches none", 18, s_(root + "/w") + i_(1))
    R("addWatch", 106, s_(root + "/pw") + i_(0))
    R("checkWatches persistent data", 17, s_(root + "/pw") + i_(2))
    R("removeWatches persistent data", 18, s_(root + "/pw") + i_(2))
    R("checkWatches persistent child", 17, s_(root + "/pw") + i_(1))
    R("removeWatches any", 18, s_(root + "/pw") + i_(3))
    R("removeWatches type4", 18, s_(root + "/pw") + i_(4))
    R("addWatch mode 5", 106, s_(root + "/pw") + i_(5))
    R("addWatch rec", 106, s_(root + "/rw") + i_(1))
    R("create rw", 1, s_(root + "/rw") + s_(b"") + acl_open() + i_(0))
    R("create rw/k", 1, s_(root + "/rw/k") + s_(b"") + acl_open() + i_(0))
    R("set rw/k", 5, s_(root + "/rw/k") + s_(b"z") + i_(-1))
    R("delete rw/k", 2, s_(root + "/rw/k") + i_(-1))
    # persistent and standard on the same path: 3.8 keeps the last mode
    R("create ov", 1, s_(root + "/ov") + s_(b"") + acl_open() + i_(0))
    R("addWatch ov", 106, s_(root + "/ov") + i_(0))
    R("getData ov watch", 4, s_(root + "/ov") + b_(True))
    R("set ov 1", 5, s_(root + "/ov") + s_(b"1") + i_(-1))
    R("set ov 2", 5, s_(root + "/ov") + s_(b"2") + i_(-1))
    R("create ov/c", 1, s_(root + "/ov/c") + s_(b"") + acl_open() + i_(0))
    R("getData ov watch again", 4, s_(root + "/ov") + b_(True))
    R("addWatch ov again", 106, s_(root + "/ov") + i_(0))
    R("set ov 3", 5, s_(root + "/ov") + s_(b"3") + i_(-1))
    R("set ov 4", 5, s_(root + "/ov") + s_(b"4") + i_(-1))
    R("delete ov/c", 2, s_(root + "/ov/c") + i_(-1))
    R("delete ov", 2, s_(root + "/ov") + i_(-1))
    R("setWatches2", 105, l_(0) + i_(0) + i_(0) + i_(0) + i_(1) + s_(root + "/sw") + i_(1) + s_(root + "/swr"), xid=-8)
    R("create sw", 1, s_(root + "/sw") + s_(b"") + acl_open() + i_(0))
    R("create swr", 1, s_(root + "/swr") + s_(b"") + acl_open() + i_(0))
    R("create swr/k", 1, s_(root + "/swr/k") + s_(b"") + acl_open() + i_(0))
    R("exists watch existing", 3, s_(root + "/sw") + b_(True))
    R("getChildren sw watch", 12, s_(root + "/sw") + b_(True))
    R("delete sw", 2, s_(root + "/sw") + i_(-1))
    R("big data", 1, s_(root + "/big") + s_(b"x" * 1000000) + acl_open() + i_(0))
    # multi
    hdr = lambda t: i_(t) + b_(False) + i_(-1)
    end = i_(-1) + b_(True) + i_(-1)
    R("multi empty", 14, end)
    R("multi fail", 14, hdr(1) + s_(root + "/m") + s_(b"") + acl_open() + i_(0) + hdr(13) + s_(root) + i_(99) + hdr(2) + s_(root + "/p") + i_(-1) + end)
    R("multi ok", 14, hdr(1) + s_(root + "/m") + s_(b"") + acl_open() + i_(0) + hdr(15) + s_(root + "/m/x") + s_(b"1") + acl_open() + i_(2) + hdr(5) + s_(root + "/m") + s_(b"d") + i_(-1) + hdr(13) + s_(root + "/m") + i_(1) + hdr(2) + s_(root + "/m/x0000000000") + i_(-1) + end)
    R("multi mixed read", 14, hdr(4) + s_(root) + b_(False) + end)
    R("multiRead", 22, hdr(4) + s_(root + "/m") + b_(False) + hdr(8) + s_(root + "/missing") + b_(False) + hdr(8) + s_(root + "/m") + b_(False) + end)
    R("multiRead with write", 22, hdr(2) + s_(root + "/m") + i_(-1) + end)
    R("getAllChildrenNumber", 104, s_(root + "/s"))
    R("getAllChildrenNumber missing", 104, s_(root + "/zz"))
    R("getEphemerals", 103, s_(root))
    R("sync", 9, s_(root))
    R("whoAmI", 107)
    for name, op, body in [("reconfig", 16, s_(None) + s_(None) + s_(None) + l_(-1)), ("unknown 99", 99, b""), ("sasl", 102, s_(b"")), ("op 10", 10, b""), ("deleteContainer", 20, s_(root + "/cont")), ("createSession", -10, b"")]:
        t = C(port, 100000)
        R(name, op, body, c=t)
    R("ping", 11, xid=-2)
    R("setWatches", 101, l_(0) + i_(1) + s_(root + "/m") + i_(1) + s_(root + "/m") + i_(1) + s_(root + "/gone"), xid=-8)
    R("auth digest", 100, i_(0) + s_("digest") + s_(b"alice:secret"), xid=-4)
    R("whoAmI after", 107)
    R("create auth acl", 1, s_(root + "/secret") + s_(b"") + i_(1) + i_(31) + s_("auth") + s_("") + i_(0))
    R("getACL secret", 6, s_(root + "/secret"))
    b = C(port, 100000)
    log.append(("connect b", b.connect[0], b.connect[1], b.connect[4]))
    R("b getACL secret", 6, s_(root + "/secret"), c=b)
    R("b getData secret", 4, s_(root + "/secret") + b_(False), c=b)
    R("b create read-only acl", 1, s_(root + "/ro") + s_(b"") + i_(1) + i_(1) + s_("digest") + s_("alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=") + i_(0), c=b)
    R("b getACL ro (read only)", 6, s_(root + "/ro"), c=b)
    R("b setACL secret", 7, s_(root + "/secret") + acl_open() + i_(-1), c=b)
    R("b delete under secret", 2, s_(root + "/secret/x") + i_(-1), c=b)
    R("b auth bad scheme", 100, i_(0) + s_("foo") + s_(b"x"), c=b, xid=-4)
    R("a check top-level", 13, s_(root) + i_(0))
    e = C(port, 100000)
    R("zxid after top-level check", 11, c=e, xid=-2)
    # reconnect checks
    c = C(port, 1000, 0x1234, b"\x01" * 16)
    log.append(("bad session", c.connect[:2] + c.connect[3:]))
    d = C(port, 1000, 0, b"\0" * 16, last=1 << 40)
    log.append(("future zxid", d.connect))
    # timeout negotiation last: short sessions expiring mid-run would shift the zxids
    for t in (1000, 10000, 100000, 3999, 40001):
        log.append(("timeout %d" % t, C(port, t).connect[1]))
    return log

root = "/oracle%d" % random.randint(0, 10**9)
logs = [run(int(p), root) for p in sys.argv[1:3]]
ndiff = 0
for x, y in zip(*logs):
    if x != y:
        ndiff += 1
        print("DIFF", x[0]); print("   apache :", x[1:]); print("   ours   :", y[1:])
print("compared %d steps, %d differ" % (len(logs[0]), ndiff))
