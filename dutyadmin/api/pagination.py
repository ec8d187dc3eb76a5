from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """DRF-style pages; clients may ask for up to 1000 rows with ?page_size=."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
