"""Imported by the parse worker's forkserver: one small parse runs pandas' lazy imports once there,
so each forked child starts warm instead of paying them on every upload."""

from __future__ import annotations

from analysis.errors import IngestError
from analysis.ingest.sheets import parse_file

_TASKS_CSV = (
    "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024\n"
    "TT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời gian hoàn thành,Tình trạng,Ngày hoàn thành\n"
    "I,CÔNG TÁC CHỈ ĐẠO,,,,\n"
    "1,Ban hành kế hoạch,Phòng Nội vụ,Quý I/2024,Đã hoàn thành,15/03/2024\n"
    "2,Kiểm tra,Phòng Nội vụ,30/06/2024,Chưa thực hiện,\n"
).encode()

try:
    parse_file(_TASKS_CSV, "warm.csv")
except IngestError:  # a change of rules must never stop the worker from starting
    pass
