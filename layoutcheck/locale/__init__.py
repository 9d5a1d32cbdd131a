"""The message catalogs (``{zh,en}/LC_MESSAGES/*.po`` and their compiled ``.mo``); see :mod:`layoutcheck.i18n`."""
