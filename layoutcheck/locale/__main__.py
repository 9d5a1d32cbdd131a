"""``python -m layoutcheck.locale``: compile every .po catalog to its .mo (needs Babel: pip install babel)."""

from layoutcheck.i18n import LOCALE_DIR, compile_catalogs

for path in compile_catalogs():
    print("compiled", path.relative_to(LOCALE_DIR.parent))
