// A FIX 4.2 initiator built on QuickFIX (Debian's libquickfix-dev): the standard client for the Apifiny simulator's
// FIX acceptor (test/fix/quickfix-interop.test.ts). It logs on with the document's settings and a JWT in RawData (96),
// validates every message it gets against QuickFIX's own FIX 4.2 dictionary (UseDataDictionary=Y), and runs
// NewOrderSingle -> ExecutionReport New -> OrderStatusRequest -> ExecutionReport (status) -> OrderCancelRequest ->
// ExecutionReport Canceled, printing one line per step; a session-level Reject it sends (a message of ours it could
// not validate) is printed as "SENT-REJECT".
// Usage: initiator <settings file> <jwt> <account> <clOrdID> <symbol> <price>
#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/MessageCracker.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/fix42/ExecutionReport.h>
#include <quickfix/fix42/NewOrderSingle.h>
#include <quickfix/fix42/OrderCancelReject.h>
#include <quickfix/fix42/OrderCancelRequest.h>
#include <quickfix/fix42/OrderStatusRequest.h>
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

class Client : public FIX::Application, public FIX::MessageCracker {
 public:
  Client(std::string token, std::string account, std::string id, std::string symbol, double price)
      : token_(token), account_(account), id_(id), symbol_(symbol), price_(price) {}
  std::atomic<bool> done{false};

  void onCreate(const FIX::SessionID &) override {}
  void onLogon(const FIX::SessionID &s) override {
    std::cout << "LOGON" << std::endl;
    FIX42::NewOrderSingle o(FIX::ClOrdID(id_), FIX::HandlInst('1'), FIX::Symbol(symbol_), FIX::Side(FIX::Side_BUY),
                            FIX::TransactTime(), FIX::OrdType(FIX::OrdType_LIMIT));
    o.set(FIX::OrderQty(0.01));
    o.set(FIX::Price(price_));
    o.set(FIX::TimeInForce(FIX::TimeInForce_GOOD_TILL_CANCEL));
    o.set(FIX::Account(account_));
    o.set(FIX::SecurityExchange("VENUE1"));
    o.set(FIX::Text("new Order"));
    FIX::Session::sendToTarget(o, s);
  }
  void onLogout(const FIX::SessionID &) override { std::cout << "LOGOUT" << std::endl; }
  void toAdmin(FIX::Message &m, const FIX::SessionID &) override {
    const std::string &type = m.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "A") {
      m.setField(FIX::RawDataLength(static_cast<int>(token_.size())));
      m.setField(FIX::RawData(token_));
    }
    if (type == "3") std::cout << "SENT-REJECT " << m.toString() << std::endl;
  }
  void toApp(FIX::Message &, const FIX::SessionID &) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message &m, const FIX::SessionID &)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    const std::string &type = m.getHeader().getField(FIX::FIELD::MsgType);
    if (type == "3" || type == "5") std::cout << "GOT-" << type << " " << m.toString() << std::endl;
  }
  void fromApp(const FIX::Message &m, const FIX::SessionID &s)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    crack(m, s);
  }

  void onMessage(const FIX42::ExecutionReport &er, const FIX::SessionID &s) override {
    FIX::ExecType et; FIX::ExecTransType tt; FIX::OrderID oid;
    er.get(et); er.get(tt); er.get(oid);
    std::cout << "ER 150=" << et.getValue() << " 20=" << tt.getValue() << " 37=" << oid.getValue() << std::endl;
    if (tt.getValue() == FIX::ExecTransType_STATUS) {
      FIX42::OrderCancelRequest c(FIX::OrigClOrdID(id_), FIX::ClOrdID(id_ + "9"), FIX::Symbol(symbol_), FIX::Side(FIX::Side_BUY), FIX::TransactTime());
      c.set(FIX::OrderQty(0.01));
      c.set(FIX::Account(account_));
      FIX::Session::sendToTarget(c, s);
    } else if (et.getValue() == FIX::ExecType_NEW) {
      FIX42::OrderStatusRequest q(FIX::ClOrdID(id_), FIX::Symbol(symbol_), FIX::Side(FIX::Side_BUY));
      q.set(oid);
      FIX::Session::sendToTarget(q, s);
    } else if (et.getValue() == FIX::ExecType_CANCELED) {
      done = true;
    }
  }
  void onMessage(const FIX42::OrderCancelReject &, const FIX::SessionID &) override {
    std::cout << "CANCEL-REJECT" << std::endl;
    done = true;
  }

 private:
  std::string token_, account_, id_, symbol_;
  double price_;
};

int main(int argc, char **argv) {
  if (argc != 7) {
    std::cerr << "usage: initiator <settings file> <jwt> <account> <clOrdID> <symbol> <price>" << std::endl;
    return 2;
  }
  try {
    FIX::SessionSettings settings(argv[1]);
    Client app(argv[2], argv[3], argv[4], argv[5], std::stod(argv[6]));
    FIX::FileStoreFactory store(settings);
    FIX::FileLogFactory log(settings);
    FIX::SocketInitiator initiator(app, store, settings, log);
    initiator.start();
    for (int i = 0; i < 200 && !app.done; i++) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::cout << (app.done ? "DONE" : "TIMEOUT") << std::endl;
    initiator.stop();
    return app.done ? 0 : 1;
  } catch (std::exception &e) {
    std::cerr << "initiator: " << e.what() << std::endl;
    return 1;
  }
}
