"""Invented names for the demo township: people, villages, companies.

Every list here is our own.  Names are drawn from a seeded ``random.Random``, so two runs with
the same seed give the same township.  People's names are unique within one demo, which keeps
the roster (matched by name on import) unambiguous.
"""

from __future__ import annotations

import random

# Common single-character surnames, most frequent first (drawn with falling weights).
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛"
    "伍韦申尤毕聂焦向柳邢骆岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧"
    "甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵"
)
# A handful of two-character surnames, rarely drawn.
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐")

# Characters for given names.  Two pools give names the feel of either sex; both are used.
GIVEN_A = (
    "建国平军伟强磊刚勇杰涛斌明辉鹏飞波华峰亮超俊浩宇博文志永海林东晨阳松柏山岩德胜"
    "全福荣兴旺新春秋立成宏毅坚锋锐力铭泽睿哲瀚轩昊然瑞祥安康宁远航帆翔跃鸣振卫忠诚"
)
GIVEN_B = (
    "丽娟敏静燕芳红霞秀英兰梅玲萍雪琳婷慧颖晶莹洁琴艳华红凤云月桂香翠玉珍瑶璐倩雯欣"
    "悦怡佳蕾薇菲露清雅涵馨琪萱诗梦彤舒畅蓉蓓丹青岚虹霓韵恬"
)
# Rarer characters that exercise fonts (not every CJK font has them).
RARE = "旻堃喆玥珺翀燊祎赟彧煜晞淏焱骞琰璟犇垚昶暐玙"

# Village and community names: two invented characters each, first from one pool, second from
# the other, so that they read like place names (常青, 桃源, 柳湾 …).
PLACE_FIRST = "常桃柳松杏梅竹石清白金丰富安和平新兴永长东西南高河岭塘溪泉云龙凤鹤槐榆枫荷茶稻"
PLACE_SECOND = "青源湾塘坪岭溪庄园桥口堡营集铺埠沟坝岗洼川滩林冲垄田峪渡泽"
# Some names to use first, in this order, before drawing new ones.
FIRST_PLACES = ("常青", "桃源", "柳湾", "石桥", "杏林", "松岗", "梅溪", "丰田", "云峪", "荷塘")

# Trade names for companies: invented two-character words with a business ring to them.
BRAND_WORDS = (
    "禾丰",
    "瑞达",
    "恒泰",
    "嘉利",
    "鑫源",
    "宏远",
    "润泽",
    "众诚",
    "晟达",
    "佳和",
    "昌隆",
    "泰合",
    "盛邦",
    "永信",
    "博瑞",
    "汇通",
    "华越",
    "诚安",
    "顺邦",
    "鼎盛",
    "益民",
    "康泰",
    "和美",
    "信达",
    "辰光",
    "青禾",
    "远航",
    "金穗",
    "启明",
    "云帆",
    "聚丰",
    "福临",
    "广润",
    "安澜",
    "长禾",
    "锦程",
    "兆丰",
    "同德",
    "新泽",
    "绿源",
)


class NameMaker:
    """Draws unique people's names and place names from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._people: set[str] = set()
        self._places: set[str] = set()
        self._brands: set[str] = set()
        self._surname_weights = [1.0 / (1 + index / 12) for index in range(len(SURNAMES))]

    def _surname(self) -> str:
        if self._rng.random() < 0.015:
            return self._rng.choice(COMPOUND_SURNAMES)
        return self._rng.choices(SURNAMES, weights=self._surname_weights)[0]

    def _given(self) -> str:
        pool = GIVEN_A if self._rng.random() < 0.55 else GIVEN_B
        first = self._rng.choice(pool)
        if self._rng.random() < 0.06:
            first = self._rng.choice(RARE)
        if self._rng.random() < 0.24:
            return first  # a two-character name in all
        second = self._rng.choice(pool)
        if self._rng.random() < 0.05:
            second = self._rng.choice(RARE)
        return first + second if second != first or self._rng.random() < 0.3 else first

    def person(self) -> str:
        """A new name never given before by this maker (2–4 characters)."""
        while True:
            name = self._surname() + self._given()
            if name not in self._people:
                self._people.add(name)
                return name

    def taken(self, name: str) -> None:
        """Remember a name given elsewhere, so it is not drawn again."""
        self._people.add(name)

    def place(self) -> str:
        """A new two-character place name (常青, 桃源, …)."""
        for name in FIRST_PLACES:
            if name not in self._places:
                self._places.add(name)
                return name
        for _attempt in range(200):
            name = self._rng.choice(PLACE_FIRST) + self._rng.choice(PLACE_SECOND)
            if name not in self._places:
                self._places.add(name)
                return name
        # Past the pool's size (very large scales): a three-character name.
        while True:
            name = (
                self._rng.choice(PLACE_FIRST)
                + self._rng.choice(PLACE_FIRST)
                + self._rng.choice(PLACE_SECOND)
            )
            if name not in self._places:
                self._places.add(name)
                return name

    def brand(self) -> str:
        """A company trade name; unique while the word list lasts, then combined with a place."""
        free = [word for word in BRAND_WORDS if word not in self._brands]
        if free:
            word = self._rng.choice(free)
        else:
            while True:
                word = self._rng.choice(BRAND_WORDS) + self._rng.choice(PLACE_SECOND)
                if word not in self._brands:
                    break
        self._brands.add(word)
        return word

    def phone(self) -> str:
        """An invented mobile number in one fictional block (never a real subscriber's)."""
        return f"1390000{self._rng.randrange(10000):04d}"
