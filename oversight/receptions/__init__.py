"""A10.6: 主任会议成员接待代表 — the receptions of a year against 7 and the deputy each street recommends."""
