"""One way to compare people's and organisations' names, in Python and in the database.

Names reach Tadamun typed on Arabic, Kurdish and Latin keyboards: "ساڵح" and "سالح",
"ڕێبین" and "ريبين", "گۆران" and "گوران", "أحمد" and "احمد", "José" and "jose" are
the same name to the person searching. ``fold_for_search`` gives them one spelling;
``FoldedText`` does the same inside a query, so a search can compare a column folded
at query time with a folded search word. Both read the one table below: change it and
re-fold stored folded columns (registrations keeps one: see its migration that
re-folds ``search_text``).
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Func, TextField

# Letters people type for one another, after the marks have been stripped. The Kurdish
# letters (ڵ ڕ ێ ۆ ی ک, and ae) fold to the Arabic ones an Arabic keyboard types; the
# Persian/Kurdish ones an Arabic keyboard lacks (پ چ ژ ڤ گ) fold to the letter typed
# in their place in Iraq (كركوك for Kirkuk). Update FoldedText's test if you add one.
LETTER_FOLDS = {
    "\u0622": "\u0627",  # alef with madda -> alef
    "\u0623": "\u0627",  # alef with hamza above -> alef
    "\u0625": "\u0627",  # alef with hamza below -> alef
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0624": "\u0648",  # waw with hamza -> waw
    "\u0626": "\u064a",  # yeh with hamza -> ya
    "\u0629": "\u0647",  # ta marbuta -> ha
    "\u06d5": "\u0647",  # Kurdish ae -> ha
    "\u06be": "\u0647",  # heh doachashmee -> ha
    "\u06c1": "\u0647",  # heh goal -> ha
    "\u0649": "\u064a",  # alef maqsura -> ya
    "\u06cc": "\u064a",  # Persian/Kurdish yeh (ی) -> ya
    "\u06ce": "\u064a",  # Kurdish yeh with small v (ێ) -> ya
    "\u06a9": "\u0643",  # keheh (ک) -> kaf
    "\u06af": "\u0643",  # gaf (گ) -> kaf
    "\u06b5": "\u0644",  # Kurdish lam with small v (ڵ) -> lam
    "\u0695": "\u0631",  # Kurdish reh with small v below (ڕ) -> reh
    "\u06c6": "\u0648",  # Kurdish oe (ۆ) -> waw
    "\u067e": "\u0628",  # peh (پ) -> beh
    "\u0686": "\u062c",  # tcheh (چ) -> jeem
    "\u0698": "\u0632",  # jeh (ژ) -> zain
    "\u06a4": "\u0641",  # veh (ڤ) -> feh
}
# Dropped altogether: tatweel and the Arabic marks (harakat, shadda, sukun, superscript
# alef, hamza above/below). Python drops every combining mark; the database drops these.
DROPPED = "\u0640" + "".join(chr(code) for code in range(0x064B, 0x0660)) + "\u0670"

_TABLE = str.maketrans({**LETTER_FOLDS, **dict.fromkeys(DROPPED)})
_SPACES = re.compile(r"\s+")


def fold_for_search(text: str) -> str:
    """One spelling for searching: case and accents dropped in Latin script; in Arabic
    script the marks and tatweel dropped, hamza forms and the Kurdish and Persian
    letters folded to the Arabic letter typed for them. Spaces collapsed."""
    # NFKC first, so presentation forms (ﻻ, ﺃ) become letters without splitting أ into
    # alef + hamza mark as NFKD would; then NFKD only for what is left of Latin accents.
    composed = unicodedata.normalize("NFKC", text).translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", composed)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", stripped).translate(_TABLE).casefold()
    return _SPACES.sub(" ", folded).strip()


def sort_key(text: str) -> tuple[str, str]:
    """Order names the way a reader of their script expects, near enough without a
    collation library: folded letters sort with their base letter (أ with alef, ڵ with ل),
    and a seat of hamza first (ئێران, as Kurdish dictionaries put ئ first)."""
    seated = unicodedata.normalize("NFC", text).replace("\u0626", "\u0621").replace("\u0624", "\u0621")
    return (fold_for_search(seated), text)


class FoldedText(Func):
    """``fold_for_search`` inside a query, for a search on a column nobody stored
    folded: compare it with ``__contains`` and a word passed through
    ``fold_for_search``. On SQLite it is that very function; on PostgreSQL one
    TRANSLATE of the table above plus LOWER (Latin accents are not dropped there:
    search the raw column too for those)."""

    output_field = TextField()
    function = "tadamun_fold"

    def as_sqlite(self, compiler, connection, **extra_context):
        # (Re-)registered whenever a query uses it: cheap, and right after a reconnect.
        connection.ensure_connection()
        connection.connection.create_function("tadamun_fold", 1, _fold_or_none, deterministic=True)
        return super().as_sql(compiler, connection, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # TRANSLATE maps letter for letter and drops those with no partner: one call.
        sql, params = compiler.compile(self.source_expressions[0])
        sources = "".join(LETTER_FOLDS) + DROPPED
        targets = "".join(LETTER_FOLDS.values())
        return f"TRANSLATE(LOWER({sql}), %s, %s)", [*params, sources, targets]


def _fold_or_none(text: str | None) -> str | None:
    return None if text is None else fold_for_search(text)
