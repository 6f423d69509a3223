# Notes 002 "UDP客户端:". Faithful copy; for the tests it binds 127.0.0.1 on the port of
# argv[1] (the notes: ("", 10086)) and sends to 127.0.0.1 on the port of argv[2] (the notes:
# ("192.168.113.85", 8081), a port their own server does not listen on), and one added print
# says when it is bound.
import socket
import sys
def main():
    upd_socket = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
    upd_socket.bind(("127.0.0.1", int(sys.argv[1])))
    print("bound to", upd_socket.getsockname(), flush=True)  # (added for the tests)
    book = input()
    upd_socket.sendto(book.encode(),("127.0.0.1",int(sys.argv[2])))
    while True:
        data,adder = upd_socket.recvfrom(1024)
        if data:
            print("%s" % str(adder))
            print("%s" % data.decode())
        else:
            print("服务器已关闭")
            break
    upd_socket.close()
if __name__ == '__main__':
    main()
