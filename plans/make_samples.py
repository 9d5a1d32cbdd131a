"""Write the sample plans in this folder: python plans/make_samples.py

The layouts live in layoutcheck/samples.py so tests can draw variants of them (metres, rotated,
survey coordinates, binary, R12 + GBK, AIA layers) from the same source.
"""

from pathlib import Path

from layoutcheck.samples import write_all

if __name__ == "__main__":
    for path in write_all(Path(__file__).parent):
        print(path)
