"""法定节假日安排: the years the office enters from the State Council's notice, supplementing the clocks' calendar."""
from .selectors import current_calendar

__all__ = ["current_calendar"]
