import energymodel as em


def test_version_is_set():
    assert em.__version__ != "0.0.0"
