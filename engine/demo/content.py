"""The demo library's texts: original, short and varied, so search and recommendations have
something to work with. Every title, name and description here was written for this project.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Episode:
    title: str
    date: str  # ISO day
    description: str


@dataclass(frozen=True)
class Podcast:
    name: str
    suffix: str  # "mp3" or "m4a"
    genre: str
    cover: tuple[tuple[int, int, int], tuple[int, int, int]] | None  # gradient colours
    episodes: tuple[Episode, ...]


@dataclass(frozen=True)
class TvEpisode:
    season: int
    episode: int
    title: str
    aired: str
    plot: str


@dataclass(frozen=True)
class TvShow:
    name: str
    premiered: str
    genres: tuple[str, ...]
    plot: str
    episodes: tuple[TvEpisode, ...]


@dataclass(frozen=True)
class Film:
    title: str
    year: int
    genres: tuple[str, ...]
    director: str
    rating: float
    plot: str


PODCASTS: tuple[Podcast, ...] = (
    Podcast(
        name="Field Notes from the Hedgerow",
        suffix="mp3",
        genre="Nature",
        cover=((46, 110, 62), (214, 196, 98)),
        episodes=(
            Episode(
                "The Dawn Chorus, Decoded",
                "2024-03-04",
                "Why do blackbirds and robins sing loudest before sunrise? We sit in a damp "
                "field at four in the morning and learn to tell the singers apart by ear.",
            ),
            Episode(
                "Hedgehogs After Dark",
                "2024-03-18",
                "Following a hedgehog's nightly round through gardens, gaps in fences and "
                "compost heaps, and what small changes help it find food and shelter.",
            ),
            Episode(
                "Lichens: Two Lives in One",
                "2024-04-01",
                "The crusty patches on old walls are partnerships between a fungus and an alga. "
                "A look at how they grow slowly and what they tell us about clean air.",
            ),
            Episode(
                "The Secret Work of Earthworms",
                "2024-04-15",
                "Darwin spent decades watching worms. We dig into how they turn leaves into "
                "soil, move stones and keep a meadow breathing.",
            ),
            Episode(
                "Swifts Come Home",
                "2024-05-06",
                "Swifts eat, sleep and even mate on the wing. This episode follows their "
                "return from Africa and the nest boxes that give them a place under our roofs.",
            ),
        ),
    ),
    Podcast(
        name="The Bench Top",
        suffix="m4a",
        genre="Science",
        cover=None,
        episodes=(
            Episode(
                "How Long Is a Second?",
                "2023-11-02",
                "From pendulums to caesium atoms: the story of how scientists learned to "
                "measure time precisely, and why your phone depends on it.",
            ),
            Episode(
                "Growing Crystals in the Kitchen",
                "2023-11-16",
                "Salt, sugar and alum crystals grown on a windowsill, and what they reveal "
                "about how atoms stack themselves into order.",
            ),
            Episode(
                "What the Telescope Saw",
                "2023-11-30",
                "Light that left distant galaxies billions of years ago, and how astronomers "
                "read the colour of that light to learn how fast the universe is expanding.",
            ),
            Episode(
                "The Chemistry of Rust",
                "2023-12-14",
                "Iron, water and oxygen in a slow dance. Why bridges are painted, why "
                "stainless steel stays bright and how museums keep old armour from crumbling.",
            ),
            Episode(
                "Volcanoes Under the Ice",
                "2024-01-11",
                "Beneath the glaciers of Iceland and Antarctica, volcanoes melt hidden lakes. "
                "Geologists explain how they listen to eruptions they cannot see.",
            ),
        ),
    ),
    Podcast(
        name="Slow Stock",
        suffix="mp3",
        genre="Food",
        cover=None,
        episodes=(
            Episode(
                "Bread That Takes Three Days",
                "2024-02-02",
                "A sourdough loaf from starter to crust, with patience as the main ingredient "
                "and an explanation of what the wild yeasts are doing all that time.",
            ),
            Episode(
                "A Pot of Beans, Properly",
                "2024-02-16",
                "Soaking or not, salting early or late, and the humble bean dishes of Tuscany, "
                "Mexico and West Africa that turn a cheap pantry staple into a feast.",
            ),
            Episode(
                "The Fermentation Shelf",
                "2024-03-01",
                "Sauerkraut, kimchi and miso on one kitchen shelf. How salt and time preserve "
                "vegetables and create flavours no quick recipe can match.",
            ),
            Episode(
                "Spices of the Old Trade Routes",
                "2024-03-15",
                "Pepper, cinnamon and cloves once crossed oceans and deserts. We cook with them "
                "and trace the merchants and ports that made them worth a fortune.",
            ),
        ),
    ),
    Podcast(
        name="Roads Before Maps",
        suffix="mp3",
        genre="History",
        cover=None,
        episodes=(
            Episode(
                "Walking the Roman Road",
                "2023-09-07",
                "A straight line of stones across the hills: how Roman engineers surveyed, "
                "built and drained roads that walkers still follow two thousand years later.",
            ),
            Episode(
                "Caravanserai Nights",
                "2023-09-21",
                "On the Silk Road, travellers rested in fortified inns a day's ride apart. "
                "Stories of the traders, pilgrims and camels that shared their courtyards.",
            ),
            Episode(
                "Lighthouse Keepers",
                "2023-10-05",
                "Lonely towers, polished lenses and logbooks full of storms. The families who "
                "kept coastal lights burning before electricity and automation.",
            ),
            Episode(
                "Songs of the River Boatmen",
                "2023-10-19",
                "Work songs kept oars and ropes in rhythm on the Volga, the Mississippi and the "
                "Rhine. Historians and singers bring the old river music back to life.",
            ),
        ),
    ),
)

TV_SHOW = TvShow(
    name="The Listening Room",
    premiered="2021-03-02",
    genres=("Music", "Documentary"),
    plot="A travelling documentary series about how music is made, taught and passed on: "
    "from village brass bands to the workshops of instrument makers.",
    episodes=(
        TvEpisode(
            1,
            1,
            "The Violin Maker's Bench",
            "2021-03-02",
            "A luthier carves spruce and maple by hand and explains why the varnish, the "
            "thickness of the top and the weather all change the sound of a violin.",
        ),
        TvEpisode(
            1,
            2,
            "A Village Brass Band",
            "2021-03-09",
            "Miners, teachers and teenagers rehearse together every Thursday. A season with a "
            "brass band preparing for a contest, and what playing together means to a town.",
        ),
        TvEpisode(
            2,
            1,
            "Rhythm Without Notes",
            "2022-04-05",
            "Drummers in Ghana and Cuba learn patterns by ear and by body long before they "
            "learn to read music. The episode asks what written notation leaves out.",
        ),
        TvEpisode(
            2,
            2,
            "The Last Organ Builder",
            "2022-04-12",
            "Inside a church organ thousands of pipes breathe through wooden channels. An old "
            "workshop restores one, pipe by pipe, before its craft disappears.",
        ),
    ),
)

FILMS: tuple[Film, ...] = (
    Film(
        "The Salt Road",
        1998,
        ("Adventure", "History"),
        "Mira Castell",
        7.2,
        "A young trader joins a camel caravan carrying salt across the desert, learns to "
        "navigate by the stars and must choose between the safety of the route and a friend "
        "lost in a sandstorm.",
    ),
    Film(
        "Lanterns over Kestrel Bay",
        2004,
        ("Drama",),
        "Tomas Arlen",
        6.8,
        "In a fishing town, two sisters reopen their late father's boatyard. As winter storms "
        "arrive, old rivalries on the harbour wall threaten the one festival the town still "
        "shares.",
    ),
    Film(
        "Nine Ways to Bake Bread",
        2011,
        ("Documentary", "Food"),
        "Hana Oduya",
        7.6,
        "Nine bakers in nine countries, from a clay oven in Georgia to a night bakery in "
        "Lyon, show how flour, water and fire have fed people for ten thousand years.",
    ),
    Film(
        "Orbit of Small Things",
        2016,
        ("Science Fiction", "Drama"),
        "Jun Malley",
        7.0,
        "An engineer on a space station repairs a tiny satellite built by schoolchildren and "
        "starts receiving their messages, which turn out to matter more than her mission.",
    ),
    Film(
        "The Cartographer's Daughter",
        1987,
        ("Adventure", "Family"),
        "Elin Varga",
        6.9,
        "When her father goes missing while mapping a mountain range, a twelve-year-old "
        "follows his unfinished charts through valleys, glaciers and forgotten villages.",
    ),
)
