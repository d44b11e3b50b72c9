"""ui/visitor.py and the store's view of an address: a forwarded address is believed only from a
proxy the server trusts, and one IPv6 home counts as one network."""

from nnviz.classroom.store import Visitor, guesser_of, network
from ui.visitor import forwarded_address


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy():
    spoofed = {"X-Forwarded-For": "1.2.3.4, 203.0.113.7", "X-Real-IP": "203.0.113.7"}
    assert forwarded_address(spoofed, trusted=False) is None  # anyone can send these headers
    assert forwarded_address(spoofed, trusted=True) == "203.0.113.7"
    # Without X-Real-IP: the last entry, the one our proxy appended (a client's own entries come first).
    assert forwarded_address({"X-Forwarded-For": "1.2.3.4, 203.0.113.7"}, trusted=True) == "203.0.113.7"
    assert forwarded_address({"X-Forwarded-For": " , "}, trusted=True) is None
    assert forwarded_address({}, trusted=True) is None


def test_an_ipv6_home_is_one_network_and_an_unknown_address_counts_nothing():
    assert network("2001:db8:1:2::1") == network("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::1") != network("2001:db8:1:2::1")
    assert network("::ffff:203.0.113.7") == network("203.0.113.7") == "203.0.113.7"
    assert network(None) is None and network("") is None
    assert network("not an address " * 10) == ("not an address " * 10)[:64]
    # Wrong guesses count by network, else by browser; with neither, nothing is counted (nobody is locked out).
    assert guesser_of(Visitor("203.0.113.7", "b")) == guesser_of(Visitor("203.0.113.7", "c"))
    assert guesser_of(Visitor(None, "b")) != guesser_of(Visitor(None, "c"))
    assert guesser_of(Visitor(None, None)) is None
