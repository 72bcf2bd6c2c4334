"""Meetings and their minutes (会议纪要): who met, what was decided, what follows up."""
