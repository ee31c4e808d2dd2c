import pickle

from yibao.ingest import ContractError


def test_message_names_file_row_and_column() -> None:
    error = ContractError(
        "landing/2020-06/civil_affairs/assistance_roster_530521_202006.csv",
        "not a valid ID",
        row=1203,
        column="成员身份证号",
    )
    assert str(error) == (
        "ContractError: landing/2020-06/civil_affairs/assistance_roster_530521_202006.csv, "
        "row 1,203, column 成员身份证号: not a valid ID"
    )
    assert (error.file, error.row, error.column, error.message) == (
        "landing/2020-06/civil_affairs/assistance_roster_530521_202006.csv",
        1203,
        "成员身份证号",
        "not a valid ID",
    )


def test_message_without_row_or_column() -> None:
    assert str(ContractError("landing/2020-06", "missing delivery")) == (
        "ContractError: landing/2020-06: missing delivery"
    )


def test_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(ContractError("f.csv", "bad", row=2, column="x")))
    assert str(error) == "ContractError: f.csv, row 2, column x: bad"
