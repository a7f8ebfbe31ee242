"""Deterministic synthetic registries for the benchmarks.

    python bench/generate.py COUNT FILE.csv

writes COUNT agreements as a CSV file in relint's import columns: a mix of kinds
and durations like the shipped registry's, dates from 1960 to 2030 (some known
only to the month or year, some written the Italian way), Italian text with
accents. About a quarter of the agreements (three in ten of those that are not
twinnings) renew themselves tacitly, for one to three years at a time. The same
COUNT always gives the same file, byte for byte.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from pathlib import Path

SEED = 20261122
# The share of agreements other than twinnings that renew themselves, and their renewal
# periods.
# Drawn from a generator of their own, so that the other columns stay as they were.
TACIT_SHARE = 0.3
RENEWALS = ("1y", "2y", "3y")

COLUMNS = (
    "kind", "title", "party", "counterpart", "country", "signed", "start", "duration", "end",
    "renewable", "auto_renew", "notice_days", "sectors", "signatories", "source", "notes",
    "renewal",
)  # fmt: skip

# (kind, weight, Italian title, durations it is signed for; "" leaves it to the kind)
KINDS = (
    ("collaboration", 35, "Accordo di collaborazione", ("2y", "2y", "2y", "1y", "3y", "")),
    ("twinning", 15, "Patto di gemellaggio", ("",)),
    ("protocol", 15, "Protocollo d'intesa", ("3y", "2y", "5y", "end", "")),
    ("memorandum", 15, "Memorandum d'intesa", ("2y", "3y", "5y", "end", "")),
    ("pact", 10, "Patto di collaborazione", ("3y", "3y", "18m")),
    ("declaration", 5, "Dichiarazione congiunta", ("", "1y")),
    ("other", 5, "Intesa", ("4y", "", "end")),
)

# Counterparts and their countries, in Italian. Chengdu and Tehran are rare here
# (one agreement in ~30,000), so that a search for them finds few, as in an office's registry.
CITIES = (
    ("São Paulo", "Brasile"), ("Kraków", "Polonia"), ("Łódź", "Polonia"),
    ("Besançon", "Francia"), ("Göteborg", "Svezia"), ("Reykjavík", "Islanda"),
    ("Bordeaux", "Francia"), ("Lione", "Francia"), ("Monaco di Baviera", "Germania"),
    ("Francoforte", "Germania"), ("Düsseldorf", "Germania"), ("Zurigo", "Svizzera"),
    ("Ginevra", "Svizzera"), ("Barcellona", "Spagna"), ("Siviglia", "Spagna"),
    ("Málaga", "Spagna"), ("Lisbona", "Portogallo"), ("Oporto", "Portogallo"),
    ("Atene", "Grecia"), ("Salonicco", "Grecia"), ("Varsavia", "Polonia"),
    ("Praga", "Repubblica Ceca"), ("Brno", "Repubblica Ceca"), ("Bratislava", "Slovacchia"),
    ("Budapest", "Ungheria"), ("Bucarest", "Romania"), ("Cluj-Napoca", "Romania"),
    ("Sofia", "Bulgaria"), ("Belgrado", "Serbia"), ("Zagabria", "Croazia"),
    ("Lubiana", "Slovenia"), ("Vienna", "Austria"), ("Graz", "Austria"),
    ("Bruxelles", "Belgio"), ("Anversa", "Belgio"), ("Amsterdam", "Paesi Bassi"),
    ("Rotterdam", "Paesi Bassi"), ("Copenaghen", "Danimarca"), ("Oslo", "Norvegia"),
    ("Helsinki", "Finlandia"), ("Tallinn", "Estonia"), ("Riga", "Lettonia"),
    ("Vilnius", "Lituania"), ("Dublino", "Irlanda"), ("Edimburgo", "Regno Unito"),
    ("Birmingham", "Regno Unito"), ("Istanbul", "Turchia"), ("İzmir", "Turchia"),
    ("Il Cairo", "Egitto"), ("Tunisi", "Tunisia"), ("Casablanca", "Marocco"),
    ("Dakar", "Senegal"), ("Nairobi", "Kenya"), ("Città del Capo", "Sudafrica"),
    ("Buenos Aires", "Argentina"), ("Córdoba", "Argentina"), ("Montevideo", "Uruguay"),
    ("Santiago del Cile", "Cile"), ("Lima", "Perù"), ("Bogotá", "Colombia"),
    ("Città del Messico", "Messico"), ("Québec", "Canada"), ("Montréal", "Canada"),
    ("Toronto", "Canada"), ("Chicago", "Stati Uniti"), ("San Francisco", "Stati Uniti"),
    ("New York", "Stati Uniti"), ("Osaka", "Giappone"), ("Kyōto", "Giappone"),
    ("Seul", "Corea del Sud"), ("Pechino", "Cina"), ("Shanghai", "Cina"),
    ("Canton", "Cina"), ("Mumbai", "India"), ("Hanoi", "Vietnam"),
    ("Melbourne", "Australia"), ("Tel Aviv", "Israele"), ("Betlemme", "Palestina"),
    ("Erevan", "Armenia"), ("Tbilisi", "Georgia"), ("Almaty", "Kazakistan"),
)  # fmt: skip
RARE = (("Chengdu", "Cina"), ("Tehran", "Iran"))
RARE_WEIGHT = 1 / 30_000

BODIES = ("Città di", "Comune di", "Municipalità di", "Università di", "Camera di commercio di",
          "Regione di", "Politecnico di", "Agenzia per lo sviluppo di")  # fmt: skip
PARTIES = (
    "Comune di Milano", "Città metropolitana di Milano", "Regione Lombardia", "Comune di Bergamo",
    "Comune di Brescia", "Comune di Como", "Comune di Cremona", "Comune di Lecco",
    "Comune di Lodi", "Comune di Mantova", "Comune di Monza", "Comune di Pavia",
    "Comune di Sondrio", "Comune di Varese", "Comune di Forlì", "Comune di Cantù",
)  # fmt: skip
SECTORS = (
    "cultura", "turismo", "attività produttive", "università e ricerca", "mobilità sostenibile",
    "sanità", "formazione", "innovazione", "commercio", "politiche alimentari", "ambiente",
    "sport", "scambi giovanili", "città intelligenti", "moda e design", "cooperazione",
)  # fmt: skip
SIGNERS = ("il Sindaco", "la Sindaca", "il Presidente", "l'Assessore alle relazioni "
           "internazionali", "il Rettore", "la Direttrice generale")  # fmt: skip
NOTES = (
    "", "", "", "Rinnovo da verificare con l'ufficio relazioni internazionali.",
    "Scambio di delegazioni previsto ogni anno; attività già avviate nel settore culturale.",
    "La fonte non indica la scadenza: da chiedere all'ente firmatario.",
    "Firmato a margine della visita ufficiale; testo in italiano e nella lingua della città.",
    "Attuazione con un bando pubblico per progetti congiunti di università e imprese.",
)  # fmt: skip


def rows(count: int) -> Iterator[list[str]]:
    """``count`` agreements, the same ones every time, one at a time."""
    rng = random.Random(SEED)
    tacit_rng = random.Random(SEED + 1)
    kinds = [k for k, *_ in KINDS]
    weights = [w for _, w, *_ in KINDS]
    by_kind = {k: (title, durations) for k, _, title, durations in KINDS}
    cities = [*CITIES, *RARE]
    city_weights = [*(1.0,) * len(CITIES), *(RARE_WEIGHT * len(CITIES),) * len(RARE)]
    for n in range(count):
        kind = rng.choices(kinds, weights)[0]
        title, durations = by_kind[kind]
        city, country = rng.choices(cities, city_weights)[0]
        body = rng.choice(BODIES)
        year = rng.randint(1960, 2030)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        precision = rng.random()
        if precision < 0.03:
            signed = f"{year}"
        elif precision < 0.06:
            signed = f"{year}-{month:02d}"
        elif precision < 0.15:
            signed = f"{day:02d}/{month:02d}/{year}"  # as Italian spreadsheets write it
        else:
            signed = f"{year}-{month:02d}-{day:02d}"
        start = ""
        if precision >= 0.15 and rng.random() < 0.1:
            start = f"{year}-{month:02d}-{min(day + rng.randint(1, 20), 28):02d}"
        duration = rng.choice(durations)
        end = ""
        if duration == "end":
            duration = ""
            end = f"{year + rng.randint(1, 6)}-{month:02d}-{day:02d}"
        notice = rng.choice(("", "", "", "90", "180", "60"))
        sectors = "; ".join(rng.sample(SECTORS, rng.randint(1, 4)))
        signatories = f"{rng.choice(SIGNERS)}; {rng.choice(SIGNERS)} di {city}"
        party = rng.choice(PARTIES)
        renewable = rng.choice(("", "true", "false"))
        auto_renew = renewal = ""
        if kind != "twinning" and tacit_rng.random() < TACIT_SHARE:
            renewable, auto_renew, renewal = "true", "true", tacit_rng.choice(RENEWALS)
        yield [
            kind, f"{title} tra {party} e {city} n. {n + 1}", party, f"{body} {city}", country,
            signed, start, duration, end, renewable, auto_renew, notice,
            sectors, signatories, f"Delibera di Giunta n. {rng.randint(1, 2500)}/{year}",
            rng.choice(NOTES), renewal,
        ]  # fmt: skip


def write(count: int, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows(rows(count))


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
