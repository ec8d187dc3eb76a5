"""Demo suggestions (issue 13): the district's handling units and the 17th term's last session's suggestions
(第十七届第五次会议, 2026-01-12..15) with a few of the closed period after it, one in every state.

Every suggestion is made and moved ONLY by oversight/suggestions/services.py, each step run "as of" its own
day (`_as_of`: django.utils.timezone.now answers that moment while the step runs), so the services' own
checks (no date after today, not before the previous step) hold against the step's day, and their history
(simple-history, SuggestionEvent), the `suggestion` contribution A9.2 reads and the clocks
(oversight.rules.clocks) are the real ones. Afterwards only the columns whose default is bound at import
(SuggestionEvent.at, Suggestion.created_at, SuggestionReply.created_at) are set to the step's moment.

Dates are chosen for DEMO_TODAY = 2026-11-27 (dutyadmin/demo.py) and stay inside the holiday calendar the clocks
know (chinesecalendar 1.11: up to 2026): no due date falls in 2027, so no suggestion is assigned after
2026-09-30 (three months later would be in 2027) and none extended after an assignment of 2026-06-30.
The states, as of 2026-11-27 (and still so on 2026-12-02):

| state                                  | how many | example                                             |
|----------------------------------------|----------|-----------------------------------------------------|
| submitted, not yet assigned            | 3        | 金晓明's own 胡同停车管理 (2026-11-18), pending review |
| assigned, on time (due after 12-17)    | 3        | assigned 2026-09-22 → due 2026-12-22                 |
| assigned, due within 15 days           | 3        | assigned 2026-09-04/08/10 → due 12-04/08/10          |
| assigned, overdue (no reply)           | 4        | session ones assigned 2026-02-05 → due 2026-05-06    |
| extended, open (on time)               | 1        | assigned 2026-06-16, extended 09-02 → due 12-16      |
| extended, overdue                      | 1        | assigned 2026-02-05, extended → due 2026-08-05       |
| extended, replied, closed              | 2        |                                                     |
| replied, awaiting evaluation           | 3        | replied 2026-11-16..25 → feedback due 12-07..16     |
| replied, feedback past due (代表未反馈) | 2        | replied 2026-04 → feedback due 2026-05              |
| closed by the office (代表未反馈)        | 1        |                                                     |
| closed, satisfied / basically satisfied | many     | some replied late (after the due date)              |
| dissatisfied → rehandling, on time     | 1        | evaluated 2026-10-12 → rehandling due 2026-12-14    |
| dissatisfied → rehandling, overdue     | 1        | evaluated 2026-05-08 → rehandling due 2026-07-08    |
| rehandled, replied again, closed       | 3        | one still dissatisfied (closed all the same)        |
| rehandled, replied again, awaiting     | 1        | second reply 2026-11-13 → feedback due 2026-12-04   |
| withdrawn                              | 2        | one before assignment, one after                    |

Who acts: the congress secretariat enters the session's paper forms, the liaison office the closed period's
(and assigns, extends, closes, withdraws on the deputy's request, and replies on a unit's behalf); the
区城市管理委 demo user replies for that unit; each evaluation is the lead deputy's own, so a deputy who
evaluates gets an account (`deputy<pk>`, no usable password: the demo logs in only as `dongsi_deputy`).
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from deputies.choices import HandlingUnitKind
from deputies.models import Deputy, HandlingUnit, UserScope
from dutyadmin.roles import Role
from meetings.models import CongressSession
from oversight.suggestions.choices import Resolution, Satisfaction
from oversight.suggestions.models import Suggestion, SuggestionEvent, SuggestionReply
from oversight.suggestions.services import (
    SuggestionAssignment,
    suggestion_assign,
    suggestion_assign_bulk,
    suggestion_close,
    suggestion_evaluate,
    suggestion_extend,
    suggestion_reply,
    suggestion_submit,
    suggestion_withdraw,
)

TZ = ZoneInfo("Asia/Shanghai")
SEED = 20260115

K = HandlingUnitKind
# (code, name, kind): the district government's departments, the court, the procuratorate, the supervision
# commission; one street office per street committee follows (JD01… in the order of dutyadmin.demo.STREETS).
HANDLING_UNITS: list[tuple[str, str, str]] = [
    ("ZF01", "区发展改革委", K.GOVERNMENT_DEPARTMENT),
    ("ZF02", "区教委", K.GOVERNMENT_DEPARTMENT),
    ("ZF03", "区卫生健康委", K.GOVERNMENT_DEPARTMENT),
    ("ZF04", "区城市管理委", K.GOVERNMENT_DEPARTMENT),
    ("ZF05", "区住房城市建设委", K.GOVERNMENT_DEPARTMENT),
    ("ZF06", "区交通委（东城交通支队）", K.GOVERNMENT_DEPARTMENT),
    ("ZF07", "区民政局", K.GOVERNMENT_DEPARTMENT),
    ("ZF08", "区市场监管局", K.GOVERNMENT_DEPARTMENT),
    ("ZF09", "区生态环境局", K.GOVERNMENT_DEPARTMENT),
    ("ZF10", "区文化和旅游局", K.GOVERNMENT_DEPARTMENT),
    ("ZF11", "区园林绿化局", K.GOVERNMENT_DEPARTMENT),
    ("ZF12", "区商务局", K.GOVERNMENT_DEPARTMENT),
    ("ZF13", "区水务局", K.GOVERNMENT_DEPARTMENT),
    ("FY01", "区人民法院", K.COURT),
    ("JC01", "区人民检察院", K.PROCURATORATE),
    ("JW01", "区监委", K.SUPERVISION_COMMISSION),
]
DEMO_UNIT_NAME = "区城市管理委"  # the `handling_unit` demo user's unit
DEMO_UNIT_CODE = "ZF04"


def street_office_code(index: int) -> str:
    return f"JD{index + 1:02d}"


def handling_units_ensure(street_names: list[str]) -> dict[str, HandlingUnit]:
    """The demo's handling units by code, made where missing (a unit already there is left as it is)."""
    rows = HANDLING_UNITS + [
        (street_office_code(i), f"{street}街道办事处", K.STREET_OFFICE) for i, street in enumerate(street_names)
    ]
    existing = {u.code: u for u in HandlingUnit.objects.filter(code__in=[code for code, _, _ in rows])}
    missing = [HandlingUnit(code=code, name=name, kind=kind) for code, name, kind in rows if code not in existing]
    HandlingUnit.objects.bulk_create(missing)
    return {**existing, **{u.code: u for u in missing}}


# ---------------------------------------------------------------------------------------------------------
# The suggestions
# ---------------------------------------------------------------------------------------------------------

SESSION_DAY = date(2026, 1, 15)  # the session's last day: the paper forms are handed in
ASSIGN_DAY = date(2026, 2, 5)  # the liaison office assigns the session's suggestions in one go → due 2026-05-06

RES, INP, PLN, EXP = Resolution.RESOLVED, Resolution.IN_PROGRESS, Resolution.PLANNED, Resolution.EXPLAINED
SAT, BAS, DIS = Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.DISSATISFIED


@dataclass(frozen=True)
class Step:
    action: str  # assign | extend | reply | evaluate | close | withdraw
    day: date
    value: str = ""  # resolution / satisfaction
    text: str = ""  # reply text / comment / reason / note


def A(day: date) -> Step:
    return Step("assign", day)


def X(day: date, reason: str) -> Step:
    return Step("extend", day, text=reason)


def R(day: date, resolution: str, text: str) -> Step:
    return Step("reply", day, resolution, text)


def E(day: date, satisfaction: str, comment: str = "") -> Step:
    return Step("evaluate", day, satisfaction, comment)


def C(day: date, note: str) -> Step:
    return Step("close", day, text=note)


def W(day: date) -> Step:
    return Step("withdraw", day)


@dataclass(frozen=True)
class Demo:
    """One demo suggestion: what it says, who handles it, the lead deputy's street and its steps."""

    title: str
    content: str
    lead: str  # unit code
    street: str  # the lead deputy's street (their delegation)
    steps: tuple[Step, ...] = ()
    co: tuple[str, ...] = ()
    session: bool = True  # at the session (assigned in bulk on ASSIGN_DAY unless `bulk` is False)
    submitted: date = SESSION_DAY
    bulk: bool = True
    cosign: int = 0  # cosigners from the same delegation
    demo_deputy: bool = False  # led by the demo deputy (金晓明)
    demo_cosigns: bool = False  # the demo deputy among the cosigners
    own: bool = False  # submitted by the deputy in person (a pending contribution until staff confirm it)
    key: str = field(default="", compare=False)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


SUGGESTIONS: list[Demo] = [
    # --- the session's, closed after a satisfied or basically satisfied evaluation --------------------------
    Demo("关于加快推进老旧小区加装电梯的建议",
         "和平里地区多数住宅建于上世纪八十年代，六层无电梯楼房占比高，老年居民上下楼困难。建议简化加装电梯审批流程，"
         "统筹财政补贴和公积金提取政策，由街道牵头做好低层住户协商工作。",
         "ZF05", "和平里", co=("JD10",), cosign=2, key="elevators",
         steps=(R(d(4, 20), INP, "已将和平里片区7栋住宅楼纳入2026年加装电梯计划，其中3栋已完成居民意见征询并开工；"
                "审批改为并联办理，时限压缩至20个工作日。"),
                E(d(4, 28), SAT, "答复具体，进度清楚，希望按期完工。"))),
    Demo("关于规范胡同停车秩序、推进错时共享停车的建议",
         "东四地区胡同狭窄，居民车辆与外来车辆争抢车位，消防通道经常被占。建议推行胡同停车自治管理，"
         "协调周边机关、商场车位夜间向居民错时开放，并加强违停执法。",
         "ZF06", "东四", co=("ZF04", "JD06"), cosign=2, demo_cosigns=True, key="hutong_parking",
         steps=(R(d(4, 15), INP, "已在东四三条至八条推行停车自治，新增错时共享车位126个；交通支队对消防通道违停开展"
                "常态化巡查。"),
                E(d(4, 24), SAT))),
    Demo("关于持续开展背街小巷环境精细化整治的建议",
         "东华门地区部分背街小巷存在私搭乱建、堆物堆料、架空线杂乱等问题。建议建立街巷长制常态化巡查机制，"
         "将整治成果纳入考核，防止问题反弹。",
         "ZF04", "东华门", co=("JD01",), key="back_alleys",
         steps=(R(d(4, 10), RES, "已完成辖区42条背街小巷的整治提升，拆除违建18处、清理堆物90余处，架空线入地工程"
                "同步实施；街巷长每周巡查并在平台上报。"),
                E(d(4, 17), SAT, "整治效果明显，居民满意。"))),
    Demo("关于优化义务教育学区划片、公开划片依据的建议",
         "部分家长反映学区划片调整信息发布晚、依据不清楚。建议提前公布划片范围和学位预警，说明调整依据，"
         "并通过集团化办学缩小校际差距。",
         "ZF02", "交道口", cosign=1, key="school_zones",
         steps=(R(d(4, 28), EXP, "划片方案依据学龄人口预测和学位供给测算确定，今年起在招生前三个月公布范围与学位"
                "预警，并开通政策咨询专线。"),
                E(d(5, 8), BAS, "希望进一步公开学位测算数据。"))),
    Demo("关于增设社区养老服务驿站、扩大助餐覆盖面的建议",
         "辖区老龄化程度高，部分社区距养老驿站较远，老年人就餐不便。建议在驿站空白社区补点布局，"
         "引入社会餐饮企业提供助餐服务，对高龄、失能老人提供送餐上门。",
         "ZF07", "崇文门外", co=("ZF03",), cosign=1, key="elder_stations",
         steps=(R(d(4, 22), PLN, "已将崇文门外地区2处驿站纳入今年新建计划，同时新增3家社会餐饮助餐点，"
                "对80岁以上独居老人提供送餐上门。"),
                E(d(4, 30), SAT))),
    Demo("关于加强社区菜市场升级改造、保障便民供应的建议",
         "部分社区菜市场设施陈旧、环境较差，个别已关停，居民买菜需步行较远。建议对菜市场进行标准化改造，"
         "在空白区域设置便民菜店或流动售菜点。",
         "ZF12", "永定门外", co=("ZF08",), key="markets",
         steps=(R(d(4, 24), RES, "永定门外地区2家菜市场已完成标准化改造并恢复营业，另设便民菜店3处。"),
                E(d(5, 7), SAT))),
    Demo("关于加强中轴线沿线历史街区风貌保护的建议",
         "中轴线申遗成功后，沿线街区游客增多，部分商户招牌、外立面与街区风貌不协调。建议制定风貌管控导则，"
         "对沿线建筑立面整治给予指导和补贴。",
         "ZF10", "前门", co=("ZF05",), cosign=1, key="central_axis",
         steps=(R(d(4, 29), PLN, "风貌管控导则已完成初稿，计划年内发布；沿线立面整治纳入明年重点项目。"),
                E(d(5, 12), BAS))),
    Demo("关于加强餐饮油烟和噪声扰民治理的建议",
         "簋街等餐饮集中区域油烟、噪声扰民问题突出，夜间尤为明显。建议督促商户安装油烟净化设施，"
         "开展夜间噪声专项检查。",
         "ZF09", "东直门", co=("ZF04",), key="fumes",
         steps=(R(d(4, 17), RES, "已督促87家餐饮商户完成油烟净化设施改造，夜间噪声专项检查每周开展，投诉量同比下降四成。"),
                E(d(4, 27), SAT))),
    Demo("关于胡同绿化美化和口袋公园建设的建议",
         "前门地区胡同绿化空间有限，居民休憩场所不足。建议利用拆违腾退空间建设口袋公园，推广立体绿化。",
         "ZF11", "前门", co=("JD11",), key="pocket_parks",
         steps=(R(d(4, 14), RES, "已利用腾退空间建成口袋公园4处，胡同立体绿化点位30个。"),
                E(d(4, 21), SAT))),
    Demo("关于加强校园周边交通秩序和学生安全的建议",
         "上下学时段学校周边接送车辆乱停乱放，存在安全隐患。建议设置临时停车接送区，增派警力和志愿者疏导。",
         "ZF06", "景山", co=("ZF02",), key="school_traffic",
         steps=(R(d(3, 31), RES, "已在辖区15所中小学周边设置即停即走接送区，高峰时段警力和志愿者同步值守。"),
                E(d(4, 9), BAS, "个别学校门口仍较拥堵。"))),
    Demo("关于规范共享单车停放、清理僵尸车的建议",
         "地铁站口和商圈周边共享单车堆积，占用盲道和人行道，废弃车辆长期无人清理。建议施划停放区，"
         "督促运营企业及时调度清运。",
         "ZF04", "建国门", co=("ZF06",), key="bikes",
         steps=(R(d(3, 27), RES, "已在地铁站口施划电子围栏停放区56处，督促企业清运废弃车辆2300余辆。"),
                E(d(4, 3), SAT))),
    Demo("关于加强婴幼儿托育服务供给的建议",
         "辖区普惠性托位不足，双职工家庭托育需求难以满足。建议依托社区和幼儿园开设托班，对普惠托育机构给予补贴。",
         "ZF03", "龙潭", co=("ZF02",), cosign=1, key="childcare",
         steps=(R(d(4, 29), PLN, "计划年内新增普惠托位200个，3所幼儿园开设2至3岁托班。"),
                E(d(5, 15), BAS))),
    Demo("关于推进社区法官工作室建设、就地化解矛盾纠纷的建议",
         "物业、邻里纠纷多发，诉讼周期长。建议在社区设立法官工作室，开展诉前调解和普法宣传。",
         "FY01", "天坛", key="court_rooms",
         steps=(R(d(4, 21), INP, "已在天坛、体育馆路地区设立社区法官工作室5个，今年以来诉前调解纠纷160余件。"),
                E(d(4, 29), SAT))),
    Demo("关于加强未成年人检察保护、深化法治进校园的建议",
         "建议检察机关加强与学校、社区的协作，开展法治副校长进校园活动，加强对涉未成年人案件的综合保护。",
         "JC01", "安定门", key="minors",
         steps=(R(d(4, 23), INP, "已向辖区全部中小学派驻法治副校长，开展法治课80余场，建立涉案未成年人帮教机制。"),
                E(d(5, 6), SAT))),
    Demo("关于加强基层“小微权力”监督的建议",
         "建议针对社区居委会在低保审核、公益岗位安排等方面的“小微权力”，建立清单和公开制度，加强日常监督。",
         "JW01", "朝阳门", key="petty_power",
         steps=(R(d(4, 27), EXP, "已会同民政部门制定社区“小微权力”清单，并通过社区公示栏和线上平台公开，"
                "纳入日常监督检查。"),
                E(d(5, 11), BAS))),
    Demo("关于加强老旧小区楼道堆物清理的建议",
         "部分老旧小区楼道堆放杂物、停放电动自行车，存在消防隐患。建议开展集中清理，建立长效管理机制。",
         "ZF04", "龙潭", co=("JD14",), key="stairwells",
         steps=(R(d(4, 2), RES, "已完成龙潭地区老旧小区楼道集中清理，纳入物业和社区日常巡查。"),
                E(d(4, 10), SAT))),
    Demo("关于加强护城河水环境治理的建议",
         "南护城河部分河段夏季有异味，沿河步道设施老化。建议加强截污治污，提升滨水空间品质。",
         "ZF13", "东花市", co=("ZF09",), key="moat",
         steps=(R(d(4, 25), INP, "已完成南护城河沿线3处雨污混接点改造，滨水步道提升工程计划于汛期后施工。"),
                E(d(5, 9), SAT))),
    # --- replied after the due date (2026-05-06), then closed -------------------------------------------
    Demo("关于解决平房区“煤改电”后取暖费用偏高问题的建议",
         "平房区居民反映“煤改电”后冬季电费支出较大，部分老人舍不得开暖气。建议完善峰谷电价补贴政策，"
         "推进房屋保温改造。",
         "ZF01", "景山", co=("ZF05",), cosign=1, key="heating",
         steps=(R(d(5, 20), INP, "已按市级政策落实谷段电价补贴，并将景山地区120户平房纳入今年保温改造。"),
                E(d(6, 3), BAS, "答复晚于期限，希望今后按时答复。"))),
    Demo("关于加强社区居家养老上门服务的建议",
         "失能、半失能老人对助浴、助洁等上门服务需求大，但服务供给少、价格偏高。建议扩大上门服务供给，"
         "对困难老人给予补贴。",
         "ZF07", "东直门", key="home_care",
         steps=(R(d(5, 8), RES, "已引入3家专业机构提供上门助浴、助洁服务，对低保、低收入老人按七成给予补贴。"),
                E(d(5, 18), SAT))),
    # --- extended, replied within the six months, closed -------------------------------------------------
    Demo("关于推进老旧地下管网改造的建议",
         "部分街区供水、排水管线使用年限长，跑冒滴漏和路面塌陷时有发生。建议制定管网改造计划，"
         "与道路修缮同步实施，减少反复开挖。",
         "ZF05", "北新桥", co=("ZF04", "ZF01"), cosign=1, key="pipes",
         steps=(X(d(4, 20), "涉及多个产权单位和市级管线企业，需协调改造计划和资金，申请延期答复。"),
                R(d(7, 28), PLN, "已会同市级管线企业制定三年改造计划，今年完成北新桥地区4.2公里管线改造，"
                  "与道路修缮同步实施。"),
                E(d(8, 10), SAT))),
    Demo("关于推进文物腾退和活化利用的建议",
         "辖区部分文物建筑仍被单位或居民占用，保护利用不足。建议加快腾退进度，腾退后用于公共文化服务。",
         "ZF10", "东四", co=("ZF05",), key="relics",
         steps=(X(d(4, 15), "涉及产权单位多、腾退安置难度大，需会同市文物局研究，申请延期答复。"),
                R(d(7, 30), INP, "已完成2处文物建筑腾退，其中1处改造为社区文化空间并对外开放，其余按计划推进。"),
                E(d(8, 12), BAS))),
    # --- extended, no reply by 2026-08-05: overdue -------------------------------------------------------
    Demo("关于统筹解决东直门地区交通拥堵的建议",
         "东直门交通枢纽周边早晚高峰拥堵严重，公交、出租车和社会车辆混行。建议优化信号灯配时，"
         "施划出租车专用候客区，打通周边微循环道路。",
         "ZF06", "东直门", co=("JD09",), cosign=2, key="dongzhimen_traffic",
         steps=(X(d(4, 28), "涉及市级路网规划和枢纽改造，需会同市交通委研究，申请延期答复。"),)),
    # --- assigned, no reply by 2026-05-06: overdue --------------------------------------------------------
    Demo("关于加强无障碍环境建设、方便老年人和残疾人出行的建议",
         "部分人行道缘石坡道缺失、盲道被占，公共建筑无障碍设施不完善。建议开展无障碍设施专项排查整改。",
         "ZF05", "天坛", co=("ZF07",), key="accessibility"),
    Demo("关于补齐体育馆路地区社区体育设施短板的建议",
         "体育馆路地区社区健身场地少、器材老化，居民健身需求难以满足。建议利用边角地建设健身步道和小型球场。",
         "JD15", "体育馆路", key="sports"),
    Demo("关于加强占道经营治理的建议",
         "部分商圈、地铁站周边流动摊贩占道经营，影响通行和市容。建议疏堵结合，设置规范的便民摊位。",
         "ZF04", "崇文门外", key="street_vendors"),
    # --- replied, no evaluation by the feedback deadline (代表未反馈) -------------------------------------
    Demo("关于规范生活垃圾分类投放点设置的建议",
         "部分小区垃圾分类投放点设置不合理，离住户过近，夏季异味明显。建议征求居民意见后调整点位，"
         "定时定点投放并及时清运。",
         "ZF04", "交道口", co=("JD03",), key="waste_points",
         steps=(R(d(4, 29), RES, "已征求居民意见调整投放点位23处，实行定时定点投放，夏季每日清运两次。"),)),
    Demo("关于加强老年人防范电信诈骗宣传教育的建议",
         "针对老年人的电信诈骗案件时有发生。建议司法机关联合社区开展案例宣讲，提升老年人防骗意识。",
         "JC01", "安定门", co=("ZF07",), key="fraud",
         steps=(R(d(4, 24), EXP, "已联合社区开展防诈宣讲40余场，发布典型案例12个，并在社区公示栏张贴防骗提示。"),)),
    # --- no feedback, closed by the office after the deadline -------------------------------------------
    Demo("关于增加社区公共充电设施的建议",
         "老旧小区电动汽车充电桩少，居民私拉电线充电存在隐患。建议在社区周边建设公共充电设施。",
         "ZF01", "朝阳门", key="chargers",
         steps=(R(d(4, 22), INP, "已在朝阳门地区规划公共充电站3处，首批40个充电桩已建成投用。"),
                C(d(5, 25), "代表在反馈期限内未反馈意见，按规定办结。"))),
    # --- dissatisfied; the rehandling reply (due 2026-07-08) never came: overdue ------------------------
    Demo("关于治理龙潭地区雨季积水点的建议",
         "龙潭地区部分路段和下凹式立交桥雨季积水严重，影响居民出行安全。建议改造排水设施，制定积水点治理时间表。",
         "ZF13", "龙潭", co=("JD14",), cosign=1, key="flooding",
         steps=(R(d(4, 27), EXP, "积水主要因市政管网排水能力不足，需纳入市级改造计划，汛期将加强抽排保障。"),
                E(d(5, 8), DIS, "答复只说明原因，未提出具体治理措施和时间表。"))),
    # --- rehandled, replied again, closed ----------------------------------------------------------------
    Demo("关于改善背街小巷夜间照明的建议",
         "东四地区部分胡同路灯稀疏、损坏后维修不及时，居民夜间出行不便。建议加密路灯、建立报修快速响应机制。",
         "ZF04", "东四", demo_deputy=True, key="lighting",
         steps=(R(d(4, 9), EXP, "辖区路灯按规范设置，损坏路灯已安排维修。"),
                E(d(4, 20), DIS, "答复未回应加密路灯的建议，维修也不及时。"),
                R(d(6, 10), INP, "已在东四三条至十条加装路灯46盏，建立路灯报修24小时响应机制。"),
                E(d(6, 19), SAT, "重新办理后问题基本解决。"))),
    Demo("关于推进老旧小区二次供水设施改造的建议",
         "建国门地区部分老旧小区二次供水设施老化，水质、水压不稳定。建议纳入改造计划，明确改造时间。",
         "ZF13", "建国门", co=("JD08",), key="water_supply",
         steps=(R(d(4, 16), PLN, "已将相关小区纳入二次供水改造储备库。"),
                E(d(4, 28), DIS, "没有明确改造时间。"),
                R(d(6, 18), PLN, "经与市自来水集团协商，相关小区将于2027年上半年完成改造。"),
                E(d(7, 1), DIS, "改造时间仍然偏晚，希望提前。"))),
    Demo("关于提升学校课后服务质量的建议",
         "部分学校课后服务以看管自习为主，内容单一。建议引入优质社会资源，丰富课后服务项目。",
         "ZF02", "东华门", cosign=1, key="after_school",
         steps=(R(d(4, 7), EXP, "课后服务由学校统筹安排，已要求各校丰富内容。"),
                E(d(4, 15), DIS, "答复过于笼统。"),
                R(d(6, 5), RES, "已引入体育、艺术、科技类社会机构28家，课后服务项目由平均4项增至11项。"),
                E(d(6, 12), BAS))),
    # --- withdrawn ---------------------------------------------------------------------------------------
    Demo("关于在天坛周边增设旅游大巴临时停车点的建议",
         "旅游旺季天坛周边旅游大巴临时停靠占用车道，造成拥堵。建议增设大巴临时停车点。",
         "ZF06", "天坛", bulk=False, key="coach_parking",
         steps=(W(d(1, 28)),)),
    Demo("关于调整社区卫生服务站开放时间的建议",
         "部分社区卫生服务站周末不开放，上班族就医不便。建议实行错时、周末开诊。",
         "ZF03", "和平里", key="clinic_hours",
         steps=(W(d(3, 10)),)),
    # --- the closed period (after the session) ---------------------------------------------------------
    Demo("关于和平里地区增设公共卫生间的建议",
         "和平里地区部分公园、商业街周边公共卫生间少，老人、游客如厕不便。建议增设或改造公共卫生间。",
         "ZF04", "和平里", session=False, submitted=d(3, 9), key="toilets",
         steps=(A(d(3, 16)), R(d(5, 20), RES, "已新建公共卫生间2座、改造4座，均配备无障碍设施。"), E(d(5, 29), SAT))),
    Demo("关于北新桥地区打通断头路的建议",
         "北新桥地区有两条断头路长期未打通，车辆绕行严重。建议加快拆迁和道路建设，改善路网微循环。",
         "ZF06", "北新桥", co=("ZF05",), session=False, submitted=d(6, 15), cosign=1, key="dead_ends",
         steps=(A(d(6, 22)),
                R(d(9, 18), EXP, "断头路打通涉及拆迁，需纳入市级道路建设计划。"),
                E(d(10, 12), DIS, "希望明确拆迁和建设的时间安排。"))),
    Demo("关于崇文门外地区菜市场周边环境整治的建议",
         "崇文门外菜市场周边早市摊位外溢、垃圾清运不及时，影响周边居民。建议规范经营秩序，加强环境保洁。",
         "ZF12", "崇文门外", co=("ZF04",), session=False, submitted=d(5, 25), key="market_surroundings",
         steps=(A(d(6, 1)),
                R(d(8, 25), EXP, "已要求市场管理方加强管理。"),
                E(d(9, 14), DIS, "周边摊位外溢问题仍未解决。"),
                R(d(11, 13), RES, "已划定早市经营区域并安装隔离设施，保洁频次由每日两次增至四次，外溢摊位已清理。"))),
    Demo("关于中小学体育场地课后向社区开放的建议",
         "社区居民健身场地不足，而中小学体育场地放学后和周末闲置。建议在保障安全的前提下有序向社区开放。",
         "ZF02", "景山", session=False, submitted=d(7, 6), key="school_fields",
         steps=(A(d(7, 14)),)),
    Demo("关于推进平房院落申请式退租和保护性修缮的建议",
         "景山地区平房院落人口密度大、房屋老旧。建议扩大申请式退租范围，同步推进保护性修缮和恢复性修建。",
         "ZF05", "景山", co=("ZF01", "JD02"), session=False, submitted=d(6, 8), cosign=1, key="courtyards",
         steps=(A(d(6, 16)), X(d(9, 2), "涉及市区两级政策和资金安排，需待市级实施细则出台后统筹答复，申请延期。"))),
    Demo("关于规范商圈周边外卖骑手停车秩序的建议",
         "王府井、东单等商圈周边外卖骑手电动车随意停放，占用人行道。建议设置骑手临时停车点和休息点。",
         "ZF04", "东华门", co=("ZF12",), session=False, submitted=d(8, 31), key="couriers",
         steps=(A(d(9, 8)),)),
    Demo("关于增加社区心理健康服务的建议",
         "居民特别是青少年和老年人的心理健康需求增加。建议依托社区卫生服务中心开设心理咨询门诊。",
         "ZF03", "安定门", session=False, submitted=d(8, 27), key="mental_health",
         steps=(A(d(9, 4)),)),
    Demo("关于加强历史文化街区商业业态管控的建议",
         "南锣鼓巷等历史文化街区商业同质化严重，部分业态与街区定位不符。建议制定业态准入清单。",
         "ZF12", "交道口", co=("ZF10",), session=False, submitted=d(9, 1), key="business_mix",
         steps=(A(d(9, 10)),)),
    Demo("关于老旧小区拆违后空间再利用的建议",
         "朝阳门地区拆除违建后腾出的空间多为闲置或简单硬化。建议征求居民意见，用于停车、绿化或便民设施。",
         "ZF04", "朝阳门", co=("JD07",), session=False, submitted=d(9, 15), key="reuse",
         steps=(A(d(9, 22)),)),
    Demo("关于加强养老机构服务质量监管的建议",
         "部分养老机构护理人员流动大、服务标准不一。建议开展服务质量星级评定，加强日常监督检查。",
         "ZF07", "天坛", session=False, submitted=d(9, 16), key="care_homes",
         steps=(A(d(9, 24)),)),
    Demo("关于建设电动自行车集中充电设施的建议",
         "老旧小区电动自行车“飞线充电”现象突出。建议在小区内建设集中充电棚，加强充电安全检查。",
         "ZF05", "东直门", co=("ZF08",), session=False, submitted=d(9, 21), key="ebike_charging",
         steps=(A(d(9, 28)),)),
    Demo("关于东四地区社区养老驿站增设助浴服务的建议",
         "东四地区独居、失能老人洗浴困难，现有驿站缺少助浴设施。建议在驿站增设助浴间并提供上门助浴。",
         "ZF07", "东四", session=False, submitted=d(8, 18), demo_deputy=True, key="bathing",
         steps=(A(d(8, 24)),
                R(d(11, 20), INP, "已在东四地区2家驿站增设助浴间，预计12月投入使用；上门助浴服务已面向失能老人开放预约。"))),
    Demo("关于规范老旧小区停车自治管理的建议",
         "龙潭地区老旧小区停车自治管理不规范，收费标准和使用不透明。建议制定指导规范，加强监督。",
         "ZF04", "龙潭", session=False, submitted=d(8, 10), key="parking_selfrule",
         steps=(A(d(8, 17)),
                R(d(11, 16), RES, "已制定老旧小区停车自治管理指引，收费标准和收支情况每季度在小区公示。"))),
    Demo("关于加强“老字号”保护和传承的建议",
         "部分老字号企业经营困难、技艺传承后继乏人。建议给予房租减免和品牌推广支持，建立传承人培养机制。",
         "ZF12", "前门", co=("ZF10",), session=False, submitted=d(8, 20), key="old_brands",
         steps=(A(d(8, 27)),
                R(d(11, 25), PLN, "已将老字号扶持纳入明年商业发展专项资金，计划支持15家老字号开展技艺传承。"))),
    Demo("关于东四地区胡同停车管理的建议",
         "东四地区胡同停车自治实施后，外来车辆夜间仍有违停，部分胡同通道被占。建议加装智能识别设备，"
         "完善停车自治的长效机制。",
         "ZF06", "东四", session=False, submitted=d(11, 18), demo_deputy=True, own=True, key="hutong_parking_2"),
    Demo("关于永定门外地区增设便民早餐点的建议",
         "永定门外地区上班族和老人早餐购买不便，现有早餐点少。建议在社区和地铁站周边增设规范早餐点。",
         "ZF12", "永定门外", session=False, submitted=d(11, 24), key="breakfast"),
    Demo("关于做好冬季清雪除冰、保障胡同通行的建议",
         "往年降雪后部分胡同清雪不及时，老人出行易滑倒。建议提前制定清雪预案，明确胡同清雪责任。",
         "ZF04", "建国门", session=False, submitted=d(11, 20), cosign=1, key="snow"),
]


# ---------------------------------------------------------------------------------------------------------
# Writing them, step by step, through the services
# ---------------------------------------------------------------------------------------------------------

HOURS = {"submit": 9, "assign": 10, "extend": 11, "withdraw": 14, "reply": 15, "evaluate": 16, "close": 17}


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@contextmanager
def _as_of(day: date, action: str) -> Iterator[None]:
    """Run one step as if it were that day: the services read today (and history its time) from timezone.now."""
    moment = _at(day, HOURS[action])
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


def _deputy_account(deputy: Deputy, group: Group, password: str) -> object:
    """The deputy's own account (an evaluation is theirs only): the existing one, else one that cannot log in."""
    link = UserScope.objects.select_related("user").filter(deputy=deputy).first()
    if link is not None:
        return link.user
    user = get_user_model().objects.create(username=f"deputy{deputy.pk}", password=password, first_name=deputy.name)
    user.groups.add(group)
    UserScope.objects.create(user=user, deputy=deputy)
    return user


def suggestions_write(*, session: CongressSession, candidates: dict[str, list[Deputy]], demo_deputy: Deputy,
                      users: dict[str, object], units: dict[str, HandlingUnit]) -> list[Suggestion]:
    """Make SUGGESTIONS through the services (see the module's docstring); candidates: each street's deputies
    who may lead or cosign one (in service all year, present at the session)."""
    rng = random.Random(SEED)
    secretariat, liaison, unit_user = users["secretariat"], users["liaison"], users["chengguan_unit"]
    deputy_group = Group.objects.get_or_create(name=Role.DEPUTY)[0]
    no_password = make_password(None)
    accounts: dict[int, object] = {}
    used: set[int] = set()
    made: list[tuple[Demo, Suggestion]] = []
    for spec in SUGGESTIONS:
        pool = candidates[spec.street]
        if spec.demo_deputy:
            lead = demo_deputy
        else:
            fresh = [dep for dep in pool if dep.pk not in used] or pool
            lead = rng.choice(fresh)
        used.add(lead.pk)
        others = [dep for dep in pool if dep.pk != lead.pk and dep.pk != demo_deputy.pk]
        cosigners = rng.sample(others, spec.cosign)
        if spec.demo_cosigns:
            cosigners = [demo_deputy, *cosigners]
        if spec.own:
            submitter = users["dongsi_deputy"]
        else:
            submitter = secretariat if spec.session else liaison
        with _as_of(spec.submitted, "submit"):
            suggestion = suggestion_submit(
                user=submitter, lead_deputy=lead, title=spec.title, content=spec.content,
                session=session if spec.session else None, cosigners=cosigners, submitted_on=spec.submitted,
            )
        made.append((spec, suggestion))
    # After the session: the liaison office assigns the session's suggestions in one go.
    with _as_of(ASSIGN_DAY, "assign"):
        suggestion_assign_bulk(user=liaison, date=ASSIGN_DAY, assignments=[
            SuggestionAssignment(suggestion=s, lead_unit=units[spec.lead],
                                 co_units=tuple(units[c] for c in spec.co))
            for spec, s in made if spec.session and spec.bulk
        ])
    for spec, suggestion in made:
        for step in spec.steps:
            with _as_of(step.day, step.action):
                if step.action == "assign":
                    suggestion_assign(user=liaison, suggestion=suggestion, lead_unit=units[spec.lead],
                                      co_units=[units[c] for c in spec.co], date=step.day)
                elif step.action == "extend":
                    suggestion_extend(user=liaison, suggestion=suggestion, reason=step.text)
                elif step.action == "reply":
                    replier = unit_user if spec.lead == DEMO_UNIT_CODE else liaison
                    suggestion_reply(user=replier, suggestion=suggestion, date=step.day, text=step.text,
                                     resolution=step.value)
                elif step.action == "evaluate":
                    lead = suggestion.lead_deputy
                    if lead.pk not in accounts:
                        accounts[lead.pk] = _deputy_account(lead, deputy_group, no_password)
                    suggestion_evaluate(user=accounts[lead.pk], suggestion=suggestion, satisfaction=step.value,
                                        comment=step.text, date=step.day)
                elif step.action == "close":
                    suggestion_close(user=liaison, suggestion=suggestion, date=step.day, note=step.text)
                elif step.action == "withdraw":
                    suggestion_withdraw(user=liaison, suggestion=suggestion)
                else:  # pragma: no cover - a typo in SUGGESTIONS
                    raise ValueError(step.action)
    _stamp([s.pk for _, s in made])
    return [s for _, s in made]


def _stamp(pks: list[int]) -> None:
    """The step's moment in the columns whose default (timezone.now) was bound before _as_of could answer."""
    events = list(SuggestionEvent.objects.filter(suggestion_id__in=pks))
    for event in events:
        event.at = _at(event.date, HOURS[event.action])
    SuggestionEvent.objects.bulk_update(events, ["at"])
    suggestions = list(Suggestion.objects.filter(pk__in=pks).only("pk", "submitted_on"))
    for suggestion in suggestions:
        suggestion.created_at = _at(suggestion.submitted_on, HOURS["submit"])
    Suggestion.objects.bulk_update(suggestions, ["created_at"])
    replies = list(SuggestionReply.objects.filter(suggestion_id__in=pks))
    for reply in replies:
        reply.created_at = _at(reply.date, HOURS["reply"])
    SuggestionReply.objects.bulk_update(replies, ["created_at"])
