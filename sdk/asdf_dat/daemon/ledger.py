"""The daemon's source of truth: one SQLite file (WAL, synchronous=FULL).

What it holds, and why each change is one transaction:

* `credits`: one row per (signature, vault, mint) with the creator fee that transaction paid
  into that vault for that mint. The primary key makes a second credit impossible.
* `cursors`: per vault, the newest signature processed. Credits and the cursor move together,
  so a crash either keeps a transaction's credits and its cursor, or neither.
* `mints`: per mint, the chain's attribution watermark as last known (`reported_slot`,
  `reported_seq`), lamports credited after it and not in a report (`pending`), totals.

A watermark names a trade: (its slot, `trade_key(signature)`), so every daemon orders the same
trades the same way. A report covers the credits in (previous watermark, new watermark]; the
program accepts it only if the previous one is still the token's (compare-and-swap), so a
ledger that is stale (restored, rebuilt, or racing another daemon) is refused, `rebase`d onto
the chain's watermark and recomputed from its credits: each trade is attributed once.
* `reports` / `report_items`: `update_pending_fees` transactions, stored signed (bytes and
  watermark) BEFORE they are sent; their amounts leave `pending` at that moment and come back
  only if the transaction definitely did not land (failed or expired). Fees credited while a
  report is in flight go to `pending` and are untouched by its outcome.

A credit for a mint that is not (yet) tracked is kept as an orphan (`tracked = 0`); when a token
config for that mint appears, `adopt_orphans` moves it into `pending`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import based58

SCHEMA_VERSION = 1
PROCESSED_KEEP = 10_000

ReportStatus = Literal["inflight", "landed", "released"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS credits (
    signature TEXT NOT NULL,
    vault TEXT NOT NULL,
    mint TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    slot INTEGER NOT NULL,
    tracked INTEGER NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (signature, vault, mint)
);
CREATE INDEX IF NOT EXISTS credits_orphans ON credits (mint) WHERE tracked = 0;
CREATE TABLE IF NOT EXISTS cursors (
    vault TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS processed (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    signature TEXT NOT NULL,
    vault TEXT NOT NULL,
    slot INTEGER NOT NULL,
    failed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS mints (
    mint TEXT PRIMARY KEY,
    pending INTEGER NOT NULL DEFAULT 0 CHECK (pending >= 0),
    credit_count INTEGER NOT NULL DEFAULT 0,
    max_slot INTEGER NOT NULL DEFAULT 0,
    seq_offset INTEGER NOT NULL DEFAULT 0,
    total_credited INTEGER NOT NULL DEFAULT 0,
    total_reported INTEGER NOT NULL DEFAULT 0,
    reported_slot INTEGER NOT NULL DEFAULT 0,
    reported_seq INTEGER NOT NULL DEFAULT 0,
    floor_slot INTEGER NOT NULL DEFAULT 0,
    last_signature TEXT
);
CREATE TABLE IF NOT EXISTS reports (
    signature TEXT PRIMARY KEY,
    raw BLOB NOT NULL,
    last_valid_block_height INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    resolved_at REAL,
    note TEXT
);
CREATE TABLE IF NOT EXISTS report_items (
    signature TEXT NOT NULL REFERENCES reports (signature),
    mint TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    watermark_slot INTEGER NOT NULL,
    watermark_seq INTEGER NOT NULL,
    PRIMARY KEY (signature, mint)
);
"""


# Cycle history (the dashboard's burn chart and cycle lists): the program's cycle events, read
# from the chain by `asdf_dat.daemon.dashboard.history`. Independent of the fee tables above.
_HISTORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS cycle_events (
    signature TEXT NOT NULL,
    event_index INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('completed', 'deferred', 'failed')),
    mint TEXT,
    cycle_id INTEGER,
    allocation INTEGER NOT NULL DEFAULT 0,
    sent_to_root INTEGER NOT NULL DEFAULT 0,
    sol_spent INTEGER NOT NULL DEFAULT 0,
    tokens_burned INTEGER NOT NULL DEFAULT 0,
    pending_fees INTEGER NOT NULL DEFAULT 0,
    code INTEGER NOT NULL DEFAULT 0,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (signature, event_index)
);
-- The newest events of a kind, and the per-cycle sums (covering: no row lookups per event).
CREATE INDEX IF NOT EXISTS cycle_events_by_kind_time ON cycle_events (kind, timestamp, slot, signature, event_index);
CREATE INDEX IF NOT EXISTS cycle_events_series ON cycle_events (kind, cycle_id, timestamp, sol_spent, tokens_burned);
-- A token runs at most once per ecosystem cycle (the program refuses a second time).
CREATE UNIQUE INDEX IF NOT EXISTS cycle_completed_once ON cycle_events (mint, cycle_id) WHERE kind = 'completed';
CREATE TABLE IF NOT EXISTS history_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL
);
"""


class LedgerError(RuntimeError):
    """The ledger cannot be used (wrong network/program, broken invariant)."""


class DuplicateReportError(LedgerError):
    """These exact signed bytes were recorded before (same blockhash and content): already sent."""


Watermark = tuple[int, int]


def trade_key(signature: str) -> int:
    """The within-slot order of a trade: the first 8 bytes of its signature (63 bits, so that it
    fits SQLite's signed INTEGER). The same for every daemon that sees the trade."""
    try:
        raw = based58.b58decode(signature.encode())
    except ValueError:
        raw = b""
    if len(raw) < 8:  # not a real signature (tests): still deterministic
        raw = hashlib.sha256(signature.encode()).digest()
    return int.from_bytes(raw[:8], "big") >> 1


def trade_watermark(slot: int, signature: str) -> Watermark:
    return (slot, trade_key(signature))


@dataclass(frozen=True)
class ReportRange:
    """What the next report of a mint covers: credits in (previous, new], `amount` lamports."""

    mint: str
    previous: Watermark
    new: Watermark
    amount: int


@dataclass(frozen=True)
class Cursor:
    vault: str
    signature: str
    slot: int


@dataclass(frozen=True)
class ProcessedTx:
    """One transaction of one vault's history: its slot, whether it failed, and the creator fee
    it paid into that vault per mint (only positive amounts)."""

    signature: str
    slot: int
    failed: bool = False
    credits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MintState:
    mint: str
    pending: int
    credit_count: int
    max_slot: int
    seq_offset: int
    total_credited: int
    total_reported: int
    reported_slot: int
    reported_seq: int
    last_signature: str | None
    inflight: int

    @property
    def reported(self) -> Watermark:
        """The chain's watermark of this mint, as the ledger last knew it."""
        return (self.reported_slot, self.reported_seq)


@dataclass(frozen=True)
class ReportItem:
    mint: str
    amount: int
    watermark_slot: int
    watermark_seq: int


@dataclass(frozen=True)
class StoredReport:
    signature: str
    raw: bytes
    last_valid_block_height: int
    status: ReportStatus
    created_at: float
    items: tuple[ReportItem, ...]

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.items)


@dataclass(frozen=True)
class Audit:
    """Totals for invariant checks: for every mint, credited = pending + inflight + reported."""

    credited: int
    pending: int
    inflight: int
    reported: int
    orphaned: int
    credits: int
    consistent: bool


class Ledger:
    """Open with `Ledger.open(path)`; every public method is atomic."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Ledger:
        """Open (or create) the ledger. A damaged file raises `LedgerError` and is left as it is:
        it is never replaced silently (move it aside to rebuild from the chain's watermarks)."""
        try:
            return cls._open(path)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                f"ledger {path} is unreadable ({exc}); move it aside to rebuild it from the chain's watermarks"
            ) from None

    @classmethod
    def _open(cls, path: Path) -> Ledger:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(path), isolation_level=None, timeout=30.0, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        ledger = cls(connection, path)
        connection.execute("PRAGMA quick_check").fetchone()
        with ledger._transaction():
            for statement in (_SCHEMA + _HISTORY_SCHEMA).split(";"):
                if statement.strip():
                    connection.execute(statement)
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                connection.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) != SCHEMA_VERSION:
                raise LedgerError(f"{path}: schema version {row[0]} is not supported (expected {SCHEMA_VERSION})")
        return ledger

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ------------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def bind(self, network: str, program_id: str) -> None:
        """Refuse a ledger written for another network or program; label a new one."""
        with self._transaction() as db:
            for key, value in (("network", network), ("program_id", program_id)):
                row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
                if row is None:
                    db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
                elif row[0] != value:
                    raise LedgerError(f"{self.path} belongs to {key} {row[0]!r}, not {value!r}")

    @property
    def is_empty(self) -> bool:
        """No cursor and no credit yet: a fresh ledger."""
        row = self._db.execute("SELECT (SELECT COUNT(*) FROM cursors) + (SELECT COUNT(*) FROM credits)").fetchone()
        return int(row[0]) == 0

    # ------------------------------------------------------------------ mints

    def ensure_mints(self, mints: Iterable[str]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT OR IGNORE INTO mints (mint) VALUES (?)", [(m,) for m in mints])

    def rebase(self, mint: str, onchain: Watermark) -> int | None:
        """Adopt the chain's watermark of `mint` (a restored or rebuilt ledger, another daemon's
        reports): pending becomes exactly the credits after it; the credits at or before it count
        as reported. Refused (None) while a report of `mint` is in flight. Returns the change of
        pending (0: the ledger already agreed)."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO mints (mint) VALUES (?)", (mint,))
            busy = db.execute(
                """SELECT COUNT(*) FROM report_items i JOIN reports r ON r.signature = i.signature
                   WHERE i.mint = ? AND r.status = 'inflight'""",
                (mint,),
            ).fetchone()
            if int(busy[0]) > 0:
                return None
            row = db.execute(
                "SELECT pending, reported_slot, reported_seq FROM mints WHERE mint = ?", (mint,)
            ).fetchone()
            old_pending, known = int(row[0]), (int(row[1]), int(row[2]))
            if known == onchain:
                return 0
            credited = pending = count = max_slot = 0
            rows = db.execute(
                "SELECT signature, vault, amount, slot, tracked FROM credits WHERE mint = ? AND tracked IN (1, 2)",
                (mint,),
            ).fetchall()
            for signature, vault, amount, slot, kind in rows:
                after = trade_watermark(int(slot), str(signature)) > onchain
                if after and int(kind) == 2:
                    # Marked "attributed before" on a view the chain does not confirm: count it.
                    db.execute("UPDATE credits SET tracked = 1 WHERE signature = ? AND vault = ? AND mint = ?",
                               (signature, vault, mint))
                    kind = 1
                if int(kind) != 1:
                    continue
                credited += int(amount)
                count += 1
                max_slot = max(max_slot, int(slot))
                if after:
                    pending += int(amount)
            db.execute(
                """UPDATE mints SET pending = ?, total_credited = ?, total_reported = ?, credit_count = ?,
                       max_slot = ?, reported_slot = ?, reported_seq = ? WHERE mint = ?""",
                (pending, credited, credited - pending, count, max_slot, onchain[0], onchain[1], mint),
            )
            return pending - old_pending

    def report_range(self, mint: str, up_to_slot: int | None = None) -> ReportRange | None:
        """The next report of `mint`: its credits after the known chain watermark (and at or
        below `up_to_slot`, the slot through which every vault has been scanned). None when
        there is nothing to report."""
        row = self._db.execute("SELECT reported_slot, reported_seq FROM mints WHERE mint = ?", (mint,)).fetchone()
        if row is None:
            return None
        previous = (int(row[0]), int(row[1]))
        limit = up_to_slot if up_to_slot is not None else 2**62
        rows = self._db.execute(
            "SELECT signature, amount, slot FROM credits WHERE mint = ? AND tracked = 1 AND slot >= ? AND slot <= ?",
            (mint, previous[0], limit),
        ).fetchall()
        amount = 0
        new = previous
        for signature, credit, slot in rows:
            mark = trade_watermark(int(slot), str(signature))
            if mark > previous:
                amount += int(credit)
                new = max(new, mark)
        return None if amount <= 0 else ReportRange(mint, previous, new, amount)

    def mint_states(self) -> dict[str, MintState]:
        rows = self._db.execute(
            """SELECT m.mint, m.pending, m.credit_count, m.max_slot, m.seq_offset, m.total_credited,
                      m.total_reported, m.reported_slot, m.reported_seq, m.last_signature,
                      COALESCE((SELECT SUM(i.amount) FROM report_items i JOIN reports r ON r.signature = i.signature
                                WHERE i.mint = m.mint AND r.status = 'inflight'), 0)
               FROM mints m"""
        ).fetchall()
        return {
            str(r[0]): MintState(
                mint=str(r[0]),
                pending=int(r[1]),
                credit_count=int(r[2]),
                max_slot=int(r[3]),
                seq_offset=int(r[4]),
                total_credited=int(r[5]),
                total_reported=int(r[6]),
                reported_slot=int(r[7]),
                reported_seq=int(r[8]),
                last_signature=None if r[9] is None else str(r[9]),
                inflight=int(r[10]),
            )
            for r in rows
        }

    # ------------------------------------------------------------------ detection

    def cursor(self, vault: str) -> Cursor | None:
        row = self._db.execute("SELECT signature, slot FROM cursors WHERE vault = ?", (vault,)).fetchone()
        return None if row is None else Cursor(vault, str(row[0]), int(row[1]))

    def cursors(self) -> dict[str, Cursor]:
        rows = self._db.execute("SELECT vault, signature, slot FROM cursors").fetchall()
        return {str(r[0]): Cursor(str(r[0]), str(r[1]), int(r[2])) for r in rows}

    def set_cursor(self, vault: str, signature: str, slot: int) -> None:
        with self._transaction() as db:
            self._put_cursor(db, vault, signature, slot)

    def apply(self, vault: str, transactions: Sequence[ProcessedTx], tracked: set[str]) -> int:
        """Record `transactions` (oldest first) of `vault`'s history: their credits and the cursor
        moved to the last one, in ONE transaction. Returns lamports newly credited to tracked
        mints (a credit already present is ignored)."""
        if not transactions:
            return 0
        now = time.time()
        added = 0
        with self._transaction() as db:
            for tx in transactions:
                db.execute(
                    "INSERT INTO processed (signature, vault, slot, failed) VALUES (?, ?, ?, ?)",
                    (tx.signature, vault, tx.slot, int(tx.failed)),
                )
                if tx.failed:
                    continue
                for mint, amount in sorted(tx.credits.items()):
                    if amount <= 0:
                        continue
                    is_tracked = mint in tracked
                    kind = 1 if is_tracked else 0
                    if is_tracked and trade_watermark(tx.slot, tx.signature) <= self._known(db, mint):
                        kind = 2  # at or before the chain's watermark: attributed already
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO credits (signature, vault, mint, amount, slot, tracked, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (tx.signature, vault, mint, amount, tx.slot, kind, now),
                    )
                    if cursor.rowcount == 1 and kind == 1:
                        self._credit_mint(db, mint, amount, tx.slot, tx.signature)
                        added += amount
            last = transactions[-1]
            self._put_cursor(db, vault, last.signature, last.slot)
            db.execute(
                "DELETE FROM processed WHERE id <= (SELECT MAX(id) FROM processed) - ?", (PROCESSED_KEEP,)
            )
        return added

    def adopt_orphans(self, mint: str, aliases: Sequence[str] = ()) -> int:
        """Move the credits of a newly tracked `mint` (also those keyed by one of its `aliases`,
        e.g. `pool:<address>` for AMM trades of a pool not known then) into its pending.
        Returns the lamports."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO mints (mint) VALUES (?)", (mint,))
            total = 0
            for alias in (mint, *aliases):
                rows = db.execute(
                    "SELECT signature, vault, amount, slot FROM credits WHERE mint = ? AND tracked = 0 ORDER BY slot",
                    (alias,),
                ).fetchall()
                for signature, vault, amount, slot in rows:
                    if alias != mint:
                        # A pool-keyed orphan: re-key it to the mint (unless that credit exists).
                        db.execute(
                            "DELETE FROM credits WHERE signature = ? AND vault = ? AND mint = ?",
                            (signature, vault, alias),
                        )
                        inserted = db.execute(
                            "INSERT OR IGNORE INTO credits (signature, vault, mint, amount, slot, tracked, created_at) "
                            "VALUES (?, ?, ?, ?, ?, 1, ?)",
                            (signature, vault, mint, amount, slot, time.time()),
                        )
                        if inserted.rowcount != 1:
                            continue
                    self._credit_mint(db, mint, int(amount), int(slot), str(signature))
                    total += int(amount)
            db.execute("UPDATE credits SET tracked = 1 WHERE mint = ? AND tracked = 0", (mint,))
            return total

    def orphans(self) -> dict[str, int]:
        rows = self._db.execute("SELECT mint, SUM(amount) FROM credits WHERE tracked = 0 GROUP BY mint").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def recent_processed(self, limit: int = 1000) -> list[str]:
        rows = self._db.execute(
            "SELECT signature FROM processed ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return list(dict.fromkeys(str(r[0]) for r in reversed(rows)))

    def credits_for(self, mint: str) -> list[tuple[str, str, int, int]]:
        """(signature, vault, amount, slot) of every credit of `mint`, oldest first."""
        rows = self._db.execute(
            "SELECT signature, vault, amount, slot FROM credits WHERE mint = ? ORDER BY slot, signature", (mint,)
        ).fetchall()
        return [(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]

    @staticmethod
    def _known(db: sqlite3.Connection, mint: str) -> Watermark:
        row = db.execute("SELECT reported_slot, reported_seq FROM mints WHERE mint = ?", (mint,)).fetchone()
        return (0, 0) if row is None else (int(row[0]), int(row[1]))

    @staticmethod
    def _credit_mint(db: sqlite3.Connection, mint: str, amount: int, slot: int, signature: str) -> None:
        db.execute("INSERT OR IGNORE INTO mints (mint) VALUES (?)", (mint,))
        db.execute(
            """UPDATE mints SET pending = pending + ?, credit_count = credit_count + 1,
                   max_slot = MAX(max_slot, ?), total_credited = total_credited + ?, last_signature = ?
               WHERE mint = ?""",
            (amount, slot, amount, signature, mint),
        )

    @staticmethod
    def _put_cursor(db: sqlite3.Connection, vault: str, signature: str, slot: int) -> None:
        db.execute(
            "INSERT INTO cursors (vault, signature, slot, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(vault) DO UPDATE SET signature = excluded.signature, slot = excluded.slot, "
            "updated_at = excluded.updated_at",
            (vault, signature, slot, time.time()),
        )

    # ------------------------------------------------------------------ reports

    def record_report(
        self, signature: str, raw: bytes, last_valid_block_height: int, items: Sequence[ReportItem]
    ) -> None:
        """Store a signed report BEFORE it is sent, moving its amounts out of `pending`. Each
        amount must not exceed the mint's pending, and a mint may have one report in flight."""
        if not items:
            raise ValueError("a report needs at least one item")
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM reports WHERE signature = ?", (signature,)).fetchone() is not None:
                raise DuplicateReportError(f"report {signature} was recorded before (same bytes): already sent")
            db.execute(
                "INSERT INTO reports (signature, raw, last_valid_block_height, status, created_at) "
                "VALUES (?, ?, ?, 'inflight', ?)",
                (signature, raw, last_valid_block_height, time.time()),
            )
            for item in items:
                busy = db.execute(
                    """SELECT COUNT(*) FROM report_items i JOIN reports r ON r.signature = i.signature
                       WHERE i.mint = ? AND r.status = 'inflight'""",
                    (item.mint,),
                ).fetchone()
                if int(busy[0]) > 0:
                    raise LedgerError(f"mint {item.mint} already has a report in flight")
                changed = db.execute(
                    "UPDATE mints SET pending = pending - ? WHERE mint = ? AND pending >= ?",
                    (item.amount, item.mint, item.amount),
                )
                if changed.rowcount != 1:
                    raise LedgerError(f"report of {item.amount} for {item.mint} exceeds its pending fees")
                db.execute(
                    "INSERT INTO report_items (signature, mint, amount, watermark_slot, watermark_seq) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (signature, item.mint, item.amount, item.watermark_slot, item.watermark_seq),
                )

    def reports(self, status: ReportStatus | None = "inflight") -> list[StoredReport]:
        if status is None:
            rows = self._db.execute(
                "SELECT signature, raw, last_valid_block_height, status, created_at FROM reports ORDER BY created_at"
            ).fetchall()
        else:
            rows = self._db.execute(
                "SELECT signature, raw, last_valid_block_height, status, created_at FROM reports WHERE status = ? "
                "ORDER BY created_at",
                (status,),
            ).fetchall()
        out: list[StoredReport] = []
        for signature, raw, lvbh, row_status, created_at in rows:
            items = self._db.execute(
                "SELECT mint, amount, watermark_slot, watermark_seq FROM report_items "
                "WHERE signature = ? ORDER BY rowid",
                (signature,),
            ).fetchall()
            out.append(
                StoredReport(
                    signature=str(signature),
                    raw=bytes(raw),
                    last_valid_block_height=int(lvbh),
                    status=row_status,
                    created_at=float(created_at),
                    items=tuple(ReportItem(str(i[0]), int(i[1]), int(i[2]), int(i[3])) for i in items),
                )
            )
        return out

    def report_signatures(self, signatures: Sequence[str]) -> set[str]:
        """Which of `signatures` are our own reports."""
        found: set[str] = set()
        for start in range(0, len(signatures), 500):
            chunk = list(signatures[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT signature FROM reports WHERE signature IN ({marks})", chunk).fetchall()
            found.update(str(r[0]) for r in rows)
        return found

    def mark_landed(self, signature: str, note: str = "") -> bool:
        """The report landed: its amounts are on-chain now. Idempotent."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE reports SET status = 'landed', resolved_at = ?, note = ? "
                "WHERE signature = ? AND status = 'inflight'",
                (time.time(), note, signature),
            )
            if changed.rowcount != 1:
                return False
            for mint, amount, wm_slot, wm_seq in db.execute(
                "SELECT mint, amount, watermark_slot, watermark_seq FROM report_items WHERE signature = ?", (signature,)
            ).fetchall():
                row = db.execute("SELECT reported_slot, reported_seq FROM mints WHERE mint = ?", (mint,)).fetchone()
                wm = (int(wm_slot), int(wm_seq))
                if row is not None and (int(row[0]), int(row[1])) > wm:
                    wm = (int(row[0]), int(row[1]))
                db.execute(
                    "UPDATE mints SET total_reported = total_reported + ?, reported_slot = ?, reported_seq = ? "
                    "WHERE mint = ?",
                    (int(amount), wm[0], wm[1], mint),
                )
            return True

    def release(self, signature: str, note: str) -> bool:
        """The report definitely did not land (failed, or its blockhash expired): its amounts go
        back to `pending`. Idempotent."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE reports SET status = 'released', resolved_at = ?, note = ? "
                "WHERE signature = ? AND status = 'inflight'",
                (time.time(), note, signature),
            )
            if changed.rowcount != 1:
                return False
            for mint, amount in db.execute(
                "SELECT mint, amount FROM report_items WHERE signature = ?", (signature,)
            ).fetchall():
                db.execute("UPDATE mints SET pending = pending + ? WHERE mint = ?", (int(amount), mint))
            return True

    # ------------------------------------------------------------------ checks

    def audit(self) -> Audit:
        credited_rows = self._db.execute(
            "SELECT COALESCE(SUM(amount), 0), COUNT(*) FROM credits WHERE tracked = 1"
        ).fetchone()
        orphaned = int(self._db.execute("SELECT COALESCE(SUM(amount), 0) FROM credits WHERE tracked = 0").fetchone()[0])
        totals = self._db.execute(
            "SELECT COALESCE(SUM(pending), 0), COALESCE(SUM(total_reported), 0), COALESCE(SUM(total_credited), 0) "
            "FROM mints"
        ).fetchone()
        inflight = int(
            self._db.execute(
                "SELECT COALESCE(SUM(i.amount), 0) FROM report_items i JOIN reports r ON r.signature = i.signature "
                "WHERE r.status = 'inflight'"
            ).fetchone()[0]
        )
        credited = int(credited_rows[0])
        pending, reported, total_credited = (int(v) for v in totals)
        consistent = credited == total_credited == pending + inflight + reported
        return Audit(credited, pending, inflight, reported, orphaned, int(credited_rows[1]), consistent)


    # ================================================================== cycle history
    # (the dashboard's table, `cycle_events`: a separate block; nothing above reads it)

    def record_cycle_events(self, events: Sequence[CycleEventRow], cursor: Cursor | None) -> int:
        """Store `events` and move the history cursor to `cursor` (if given), in ONE transaction.
        Returns the number of events that were new (an event already stored, or a second
        `completed` of one token in one cycle, is ignored)."""
        added = 0
        with self._transaction() as db:
            for e in events:
                changed = db.execute(
                    f"INSERT OR IGNORE INTO cycle_events ({_EVENT_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e.signature,
                        e.event_index,
                        e.slot,
                        e.timestamp,
                        e.kind,
                        e.mint,
                        e.cycle_id,
                        e.allocation,
                        e.sent_to_root,
                        e.sol_spent,
                        e.tokens_burned,
                        e.pending_fees,
                        e.code,
                        e.consecutive_failures,
                    ),
                )
                added += changed.rowcount
            if cursor is None:
                return added
            db.execute(
                "INSERT INTO history_cursor (id, signature, slot) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET signature = excluded.signature, slot = excluded.slot",
                (cursor.signature, cursor.slot),
            )
        return added

    def history_cursor(self) -> Cursor | None:
        """The newest transaction of the DAT state's history already read for cycle events."""
        row = self._db.execute("SELECT signature, slot FROM history_cursor WHERE id = 1").fetchone()
        return None if row is None else Cursor("history", str(row[0]), int(row[1]))

    def cycle_events(self, kind: CycleEventKind | None = None, limit: int = 100) -> list[CycleEventRow]:
        """The newest `limit` events (of `kind`), newest first."""
        where = "WHERE kind = ?" if kind is not None else ""
        params: tuple[object, ...] = (kind, limit) if kind is not None else (limit,)
        rows = self._db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM cycle_events {where} "
            "ORDER BY timestamp DESC, slot DESC, signature DESC, event_index DESC LIMIT ?",
            params,
        ).fetchall()
        return [
            CycleEventRow(
                signature=str(r[0]), event_index=int(r[1]), slot=int(r[2]), timestamp=int(r[3]), kind=r[4],
                mint=None if r[5] is None else str(r[5]), cycle_id=None if r[6] is None else int(r[6]),
                allocation=int(r[7]), sent_to_root=int(r[8]), sol_spent=int(r[9]), tokens_burned=int(r[10]),
                pending_fees=int(r[11]), code=int(r[12]), consecutive_failures=int(r[13]),
            )
            for r in rows
        ]

    def cycle_series(self, mint: str | None = None) -> list[CyclePoint]:
        """Per ecosystem cycle, oldest first: SOL spent and tokens burned (of `mint`, or of all)."""
        where = "AND mint = ?" if mint is not None else ""
        params: tuple[object, ...] = (mint,) if mint is not None else ()
        rows = self._db.execute(
            f"""SELECT cycle_id, MIN(timestamp), SUM(sol_spent), SUM(tokens_burned) FROM cycle_events
                WHERE kind = 'completed' {where} GROUP BY cycle_id ORDER BY cycle_id""",
            params,
        ).fetchall()
        return [CyclePoint(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def history_version(self) -> int:
        """Changes whenever an event is added (the dashboard refetches its chart then): the
        highest rowid, which only grows as rows are added."""
        return int(self._db.execute("SELECT COALESCE(MAX(rowid), 0) FROM cycle_events").fetchone()[0])


CycleEventKind = Literal["completed", "deferred", "failed"]

_EVENT_COLUMNS = (
    "signature, event_index, slot, timestamp, kind, mint, cycle_id, allocation, sent_to_root, sol_spent, "
    "tokens_burned, pending_fees, code, consecutive_failures"
)


@dataclass(frozen=True)
class CycleEventRow:
    """One cycle event of the program: `completed` (CycleCompleted: a token's buy and burn),
    `deferred` (CycleDeferred; `code` is the reason) or `failed` (CycleFailed, from
    `record_failure`; `code` is the program error code)."""

    signature: str
    event_index: int
    slot: int
    timestamp: int
    kind: CycleEventKind
    mint: str | None = None
    cycle_id: int | None = None
    allocation: int = 0
    sent_to_root: int = 0
    sol_spent: int = 0
    tokens_burned: int = 0
    pending_fees: int = 0
    code: int = 0
    consecutive_failures: int = 0


@dataclass(frozen=True)
class CyclePoint:
    """One ecosystem cycle (its `completed` events, optionally of one mint) summed."""

    cycle_id: int
    timestamp: int
    sol_spent: int
    tokens_burned: int
