async def test_viewer_for_staff(api):
    data = await api.data("{ viewer { kind subject permissions client { id } } }")
    assert data["viewer"]["kind"] == "STAFF"
    assert data["viewer"]["subject"] == "admin@broker"
    assert data["viewer"]["client"] is None
