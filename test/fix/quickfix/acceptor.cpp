// A FIX 4.2 order-entry acceptor built on QuickFIX (Debian's libquickfix-dev), the standard counterparty for our
// initiator's interop test (test/fix/quickfix-interop.test.ts). It validates every message against QuickFIX's own
// FIX 4.2 data dictionary (UseDataDictionary=Y) and answers as an exchange gateway would:
//   NewOrderSingle (D)     -> ExecutionReport New (the order rests; it is never filled here)
//   OrderStatusRequest (H) -> ExecutionReport with ExecTransType Status, or Rejected for an unknown order
//   OrderCancelRequest (F) -> ExecutionReport Canceled, or OrderCancelReject (9) for an unknown order
// Usage: acceptor <settings file>; prints "ready" once it listens and runs until stdin closes.
#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/MessageCracker.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/fix42/ExecutionReport.h>
#include <quickfix/fix42/NewOrderSingle.h>
#include <quickfix/fix42/OrderCancelReject.h>
#include <quickfix/fix42/OrderCancelRequest.h>
#include <quickfix/fix42/OrderStatusRequest.h>
#include <iostream>
#include <map>
#include <string>

struct Resting {
  std::string orderId, symbol;
  char side;
  double qty, price;
};

class Gateway : public FIX::Application, public FIX::MessageCracker {
 public:
  void onCreate(const FIX::SessionID &) override {}
  void onLogon(const FIX::SessionID &s) override { std::cout << "logon " << s.toString() << std::endl; }
  void onLogout(const FIX::SessionID &s) override { std::cout << "logout " << s.toString() << std::endl; }
  void toAdmin(FIX::Message &, const FIX::SessionID &) override {}
  void toApp(FIX::Message &, const FIX::SessionID &) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message &, const FIX::SessionID &)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}
  void fromApp(const FIX::Message &m, const FIX::SessionID &s)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    crack(m, s);
  }

  void onMessage(const FIX42::NewOrderSingle &m, const FIX::SessionID &s) override {
    FIX::ClOrdID cl; FIX::Symbol sym; FIX::Side side; FIX::OrderQty qty; FIX::Price px;
    m.get(cl); m.get(sym); m.get(side); m.get(qty); m.get(px);
    Resting r{"ORD-" + std::to_string(++orders_), sym.getValue(), side.getValue(), qty.getValue(), px.getValue()};
    book_[cl.getValue()] = r;
    FIX42::ExecutionReport er(FIX::OrderID(r.orderId), FIX::ExecID(nextExec()), FIX::ExecTransType(FIX::ExecTransType_NEW),
                              FIX::ExecType(FIX::ExecType_NEW), FIX::OrdStatus(FIX::OrdStatus_NEW), sym, side,
                              FIX::LeavesQty(r.qty), FIX::CumQty(0), FIX::AvgPx(0));
    er.set(cl); er.set(qty); er.set(px);
    FIX::Session::sendToTarget(er, s);
  }

  void onMessage(const FIX42::OrderStatusRequest &m, const FIX::SessionID &s) override {
    FIX::ClOrdID cl; FIX::Symbol sym; FIX::Side side;
    m.get(cl); m.get(sym); m.get(side);
    auto it = book_.find(cl.getValue());
    bool known = it != book_.end();
    FIX42::ExecutionReport er(FIX::OrderID(known ? it->second.orderId : "NONE"), FIX::ExecID(nextExec()),
                              FIX::ExecTransType(FIX::ExecTransType_STATUS),
                              FIX::ExecType(known ? FIX::ExecType_NEW : FIX::ExecType_REJECTED),
                              FIX::OrdStatus(known ? FIX::OrdStatus_NEW : FIX::OrdStatus_REJECTED), sym, side,
                              FIX::LeavesQty(known ? it->second.qty : 0), FIX::CumQty(0), FIX::AvgPx(0));
    er.set(cl);
    if (!known) er.set(FIX::Text("unknown order"));
    FIX::Session::sendToTarget(er, s);
  }

  void onMessage(const FIX42::OrderCancelRequest &m, const FIX::SessionID &s) override {
    FIX::ClOrdID cl; FIX::OrigClOrdID orig; FIX::Symbol sym; FIX::Side side;
    m.get(cl); m.get(orig); m.get(sym); m.get(side);
    auto it = book_.find(orig.getValue());
    if (it == book_.end()) {
      FIX42::OrderCancelReject rej(FIX::OrderID("NONE"), cl, orig, FIX::OrdStatus(FIX::OrdStatus_REJECTED),
                                  FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST));
      rej.set(FIX::Text("unknown order"));
      FIX::Session::sendToTarget(rej, s);
      return;
    }
    Resting r = it->second;
    book_.erase(it);
    FIX42::ExecutionReport er(FIX::OrderID(r.orderId), FIX::ExecID(nextExec()), FIX::ExecTransType(FIX::ExecTransType_NEW),
                              FIX::ExecType(FIX::ExecType_CANCELED), FIX::OrdStatus(FIX::OrdStatus_CANCELED), sym, side,
                              FIX::LeavesQty(0), FIX::CumQty(0), FIX::AvgPx(0));
    er.set(cl); er.set(orig);
    FIX::Session::sendToTarget(er, s);
  }

 private:
  std::string nextExec() { return "EXEC-" + std::to_string(++execs_); }
  std::map<std::string, Resting> book_;
  long orders_ = 0, execs_ = 0;
};

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: acceptor <settings file>" << std::endl;
    return 2;
  }
  try {
    FIX::SessionSettings settings(argv[1]);
    Gateway app;
    FIX::FileStoreFactory store(settings);
    FIX::FileLogFactory log(settings);
    FIX::SocketAcceptor acceptor(app, store, settings, log);
    acceptor.start();
    std::cout << "ready" << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {}
    acceptor.stop();
  } catch (std::exception &e) {
    std::cerr << "acceptor: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
