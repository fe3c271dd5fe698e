"""Varied, made-up episode texts for generated libraries (tests and benchmarks)."""

from __future__ import annotations

import random

TOPICS = (
    "volcanoes glaciers rivers deserts forests oceans comets planets bacteria whales bees "
    "bridges railways printing medicine surgery vaccines mathematics poetry opera chess jazz "
    "cathedrals pyramids empires revolutions philosophy ethics logic language cinema painting"
).split()


def description(rng: random.Random, n: int) -> str:
    a, b, c = rng.sample(TOPICS, 3)
    return f"Episode {n} explores {a} and {b}, with a detour into {c}."


# Episodes of a made-up Chinese podcast (written for this test), and a query for each that
# says the same thing in other words.
CHINESE_EPISODES = {
    "茶馆里的故事": (
        "老北京的茶馆是街坊聊天、听评书、谈生意的地方，这一期我们走访三家百年老店。",
        "老城区喝茶听书的老店",
    ),
    "深海里的鲸鱼": (
        "座头鲸每年从寒冷的海域游到温暖的海湾生育，它们的歌声可以传出几百公里。",
        "大型海洋哺乳动物怎样迁徙和唱歌",
    ),
    "面包的科学": (
        "为什么面团需要发酵？酵母、面粉和水之间发生了什么？一位面包师傅为我们解答。",
        "做面包时酵母起什么作用",
    ),
    "登山者的选择": (
        "在珠穆朗玛峰的死亡地带，每一个决定都可能关乎生死。两位登山者讲述他们的经历。",
        "攀登世界最高峰时的危险",
    ),
    "古代的天文学": (
        "古人如何观察星空、制定历法？从日晷到浑天仪，天文仪器的历史。",
        "从前的人怎么看星星定日子",
    ),
    "城市里的蜜蜂": (
        "越来越多的人在屋顶上养蜂。城市的花园和公园为蜜蜂提供了意想不到的食物。",
        "在楼顶养蜜蜂",
    ),
}
