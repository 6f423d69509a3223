# Notes 002 "UDP服务端:". Faithful copy, with `def main()` given the colon it lacks in the notes
# (without it Python refuses the file). For the tests the server binds 127.0.0.1 on the port of
# argv[1] (the notes: ("", 8080)), replies go to 127.0.0.1 on the port of argv[2] (the notes:
# ("192.168.113.119", 10086)), and one added print says when it is ready.
import socket
import sys
def main():
    upd_socket = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
    upd_socket.bind(("127.0.0.1", int(sys.argv[1])))
    print("listening on", upd_socket.getsockname(), flush=True)  # (added for the tests)
    while True:
        data,adder = upd_socket.recvfrom(1024)
        print("%s" % str(adder))
        print("%s" % data.decode())
        nook = input()
        upd_socket.sendto(nook.encode(),("127.0.0.1", int(sys.argv[2])))
if __name__ == '__main__':
    main()
