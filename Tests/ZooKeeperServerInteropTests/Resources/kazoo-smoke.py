#!/usr/bin/env python3
"""kazoo smoke test: CRUD, watches, DataWatch, transactions, Lock, Election, digest ACLs, ephemerals.

usage: kazoo-smoke.py HOST:PORT   (pip install kazoo); exits 1 if any check fails
Run by Tests/ZooKeeperServerInteropTests (KazooTests) against the built `zoostack zookeeper`.
"""
import sys, threading, time
from kazoo.client import KazooClient
from kazoo.exceptions import LockTimeout, NoNodeError, NodeExistsError, BadVersionError, NotEmptyError, RolledBackError, SessionExpiredError
from kazoo.security import make_digest_acl

hosts = sys.argv[1]
results = []
def check(name, cond):
    results.append((name, bool(cond)))
    print(("PASS " if cond else "FAIL ") + name, flush=True)

zk = KazooClient(hosts=hosts, timeout=10)
zk.start()
check("server_version", zk.server_version() == (3, 8, 0))
zk.ensure_path("/kz")
zk.delete("/kz", recursive=True)
zk.create("/kz/a", b"one", makepath=True)
data, stat = zk.get("/kz/a")
check("get", data == b"one" and stat.version == 0)
zk.set("/kz/a", b"two")
check("set", zk.get("/kz/a")[0] == b"two")
try:
    zk.set("/kz/a", b"x", version=7); check("badversion", False)
except BadVersionError: check("badversion", True)
try:
    zk.create("/kz/a"); check("nodeexists", False)
except NodeExistsError: check("nodeexists", True)
check("exists none", zk.exists("/kz/none") is None)

ev = threading.Event(); got = []
def w(event): got.append(event); ev.set()
zk.get("/kz/a", watch=w)
zk.set("/kz/a", b"three")
ev.wait(5)
check("data watch", got and got[0].type == "CHANGED" and got[0].path == "/kz/a")

ev2 = threading.Event(); got2 = []
def cw(event): got2.append(event); ev2.set()
zk.get_children("/kz", watch=cw)
zk.create("/kz/b")
ev2.wait(5)
check("child watch", got2 and got2[0].type == "CHILD")

seen = []
@zk.DataWatch("/kz/dw")
def dw(data, stat):
    seen.append(data)
zk.create("/kz/dw", b"v1")
time.sleep(0.3)
zk.set("/kz/dw", b"v2")
time.sleep(0.3)
check("DataWatch recipe", seen == [None, b"v1", b"v2"])

t = zk.transaction()
t.create("/kz/t1", b"")
t.check("/kz/a", 99)
t.delete("/kz/b")
res = t.commit()
check("transaction rollback", isinstance(res[0], RolledBackError) and isinstance(res[1], BadVersionError) and not zk.exists("/kz/t1"))
t = zk.transaction(); t.create("/kz/t2", b"x"); t.set_data("/kz/t2", b"y"); res = t.commit()
check("transaction ok", res[0] == "/kz/t2" and zk.get("/kz/t2")[0] == b"y")

lock = zk.Lock("/kz/lock", "me")
with lock:
    check("lock held", len(lock.contenders()) == 1)
check("lock released", len(zk.get_children("/kz/lock")) == 0)

elected = threading.Event()
election = zk.Election("/kz/election", "me")
th = threading.Thread(target=lambda: election.run(elected.set), daemon=True); th.start()
check("election", elected.wait(5))


# Two clients contending for one Lock: the second waits until the first releases, then gets it.
zkb = KazooClient(hosts=hosts, timeout=10); zkb.start()
lock_a = zk.Lock("/kz/lock2", "a"); lock_b = zkb.Lock("/kz/lock2", "b")
lock_a.acquire()
try:
    lock_b.acquire(timeout=0.5); check("lock contended times out", False)
except LockTimeout: check("lock contended times out", True)
got_b = threading.Event()
threading.Thread(target=lambda: lock_b.acquire(timeout=10) and got_b.set(), daemon=True).start()
time.sleep(0.5)
check("lock waiter queued", not got_b.is_set() and lock_a.contenders() == ["a", "b"])
lock_a.release()
check("lock handed over", got_b.wait(5) and lock_b.is_acquired)
lock_b.release()

# Two Election candidates: the first leads until its function returns, then the second leads.
e1 = zk.Election("/kz/election2", "one"); e2 = zkb.Election("/kz/election2", "two")
won1, release1, won2 = threading.Event(), threading.Event(), threading.Event()
threading.Thread(target=lambda: e1.run(lambda: (won1.set(), release1.wait(10))), daemon=True).start()
check("election first leads", won1.wait(5))
threading.Thread(target=lambda: e2.run(won2.set), daemon=True).start()
time.sleep(0.5)
check("election second waits", not won2.is_set() and e1.contenders() == ["one", "two"])
release1.set()
check("election handover", won2.wait(5))
zkb.stop(); zkb.close()

zk.add_auth("digest", "alice:secret")
acl = make_digest_acl("alice", "secret", all=True)
zk.create("/kz/secret", b"s", acl=[acl])
zk2 = KazooClient(hosts=hosts, timeout=10); zk2.start()
from kazoo.exceptions import NoAuthError
try:
    zk2.get("/kz/secret"); check("acl noauth", False)
except NoAuthError: check("acl noauth", True)
check("acl owner read", zk.get("/kz/secret")[0] == b"s")

zk2.create("/kz/eph", b"", ephemeral=True)
ev3 = threading.Event()
zk.exists("/kz/eph", watch=lambda e: ev3.set())
zk2.stop(); zk2.close()
check("ephemeral removed on close", ev3.wait(5) and zk.exists("/kz/eph") is None)

zk.delete("/kz", recursive=True)
check("recursive delete", zk.exists("/kz") is None)
zk.stop(); zk.close()
print("SUMMARY %d/%d passed" % (sum(1 for _, ok in results if ok), len(results)))
sys.exit(0 if all(ok for _, ok in results) else 1)
